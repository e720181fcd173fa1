# Written by hand, not generated: carried into the generated SDK by the generator's overlays
# (npm run gen-sdk, scripts/gensdk -overlays sdk/overlays).
"""The preview gate for every instance definition of a stack: ``guard_images()`` at the top of a
program makes every resource the program registers afterwards -- of any provider, inside
components too -- have the JD Cloud image IDs in its inputs looked up (through the plugin's
``getImage``) before it is registered. A missing image, one that is not ``ready``, or one that
misses the guard's rules fails ``pulumi preview`` with one sentence naming the resource and the
property path. The same rules and paths as the TypeScript SDK's ``guardImages``.
"""

import asyncio
import re
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import pulumi

from . import _utilities

__all__ = ["guard_images", "ImageGuardError", "InvalidGuardOptionError"]

_IMAGE_ID = re.compile(r"^img-[a-z0-9]{1,60}$")
_REGION_ID = re.compile(r"^[a-z]{2,4}-[a-z]{2,12}-[0-9]{1,2}$")
_PART = re.compile(r"^([A-Za-z_$][\w$-]*)((?:\[(?:\*|\d{1,6})?\])*)$")

#: Where image IDs are found on every resource, when the value looks like ``img-...``.
DEFAULT_PATHS = ("imageId", "instanceSpec.imageId", "instanceSpecs[].imageId")

#: The image inputs of the Terraform-bridged ``jdcloud`` provider's resources
#: (``pulumi package add terraform-provider jdcloud-api/jdcloud``): every value there is checked.
BRIDGED_PATHS = (
    ("jdcloud:index/instance:Instance", "imageId"),
    ("jdcloud:index/instanceTemplate:InstanceTemplate", "imageId"),
)

_OPTIONS = ("require", "image_sources", "owner_pins", "platforms", "by_type", "paths", "exclude", "region_id", "opts")


class ImageGuardError(pulumi.RunError):
    """``guard_images`` refused an image ID it found in a resource's inputs: the message names the
    resource and the property path, then says what was wrong."""

    def __init__(self, resource_name: str, resource_type: str, path: str, reason: str):
        super().__init__(f"Resource '{resource_name}' ({resource_type}), {path}: {reason}")
        self.resource_name = resource_name
        self.resource_type = resource_type
        self.path = path


class InvalidGuardOptionError(pulumi.RunError, ValueError):
    """``guard_images`` was given an option it cannot follow; raised at once, before any resource."""


def _invalid(argument: str, problem: str, fix: str) -> InvalidGuardOptionError:
    return InvalidGuardOptionError(f"Invalid {argument} for guard_images: {problem}; {fix}.")


def _steps(path: str, argument: str) -> List[Union[str, int, None]]:
    """A path such as ``instanceSpecs[].imageId`` (Pulumi's ``instanceSpecs[*].imageId`` and
    ``instanceSpecs[0].imageId`` too) as steps: a property name, None for each element of a list, or
    an element's index."""
    steps: List[Union[str, int, None]] = []
    for part in path.split("."):
        match = _PART.match(part)
        if not match:
            raise _invalid(
                argument,
                f"'{path}' is not a property path",
                "write property names (as the resource's inputs have them, e.g. 'imageId') joined by '.', "
                "with '[]' (or '[*]') after a list's name for each of its elements or '[N]' for one",
            )
        steps.append(match.group(1))
        for inner in re.findall(r"\[([^\]]*)\]", match.group(2)):
            steps.append(None if inner in ("", "*") else int(inner))
    return steps


def _canonical(steps: Sequence[Union[str, int, None]]) -> str:
    """A path in one spelling (``[*]`` written ``[]``), so that a path and its exclusion compare equal."""
    out = ""
    for step in steps:
        out += "[]" if step is None else f"[{step}]" if isinstance(step, int) else f".{step}"
    return out[1:]


def _has(value: Any, key: str) -> Optional[str]:
    """The key of ``value`` (a dict) for the path step ``key``, in either spelling the resource uses."""
    if not isinstance(value, dict):
        return None
    if key in value:
        return key
    # As Pulumi's Python names spell it: imageId -> image_id, diskSizeGB -> disk_size_gb.
    snake = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key)).lower()
    return snake if snake in value else None


def _guarded(value: Any, strict: bool) -> bool:
    if strict:
        return value is not None
    return isinstance(value, str) and bool(_IMAGE_ID.match(value))


def _collect(value: Any, steps: Sequence[Union[str, int, None]], at: str, strict: bool, out: List[Tuple[str, Any]]) -> None:
    if not steps:
        if _guarded(value, strict):
            out.append((at, value))
        return
    step, rest = steps[0], steps[1:]
    if step is None or isinstance(step, int):
        if isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                if step is None or i == step:
                    _collect(v, rest, f"{at}[{i}]", strict, out)
        return
    key = _has(value, step)
    if key is not None:
        _collect(value[key], rest, step if at == "" else f"{at}.{step}", strict, out)


def _is_input_wrapper(value: Any) -> bool:
    return isinstance(value, pulumi.Output) or asyncio.isfuture(value) or asyncio.iscoroutine(value)


def _wrap(
    value: Any,
    steps: Sequence[Union[str, int, None]],
    at: str,
    strict: bool,
    check: Callable[[str, Any], Awaitable[None]],
) -> Any:
    """The value with the guard's checks of the image IDs in it: passed on unchanged once they pass."""
    if _is_input_wrapper(value) or (not steps and _guarded(value, strict)):

        async def checked(resolved: Any) -> Any:
            found: List[Tuple[str, Any]] = []
            _collect(resolved, steps, at, strict, found)
            await asyncio.gather(*(check(where, v) for where, v in found))
            return resolved

        # Once known: in preview an unknown value passes; during up it is known before the resource is registered.
        return pulumi.Output.from_input(value).apply(checked)
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if step is None or isinstance(step, int):
        if not isinstance(value, (list, tuple)):
            return value
        items = [_wrap(v, rest, f"{at}[{i}]", strict, check) if step is None or i == step else v for i, v in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value)) else value
    key = _has(value, step)
    if key is None:
        return value
    inner = value[key]
    wrapped = _wrap(inner, rest, step if at == "" else f"{at}.{step}", strict, check)
    if wrapped is inner:
        return value
    copy = dict(value)
    copy[key] = wrapped
    return copy


def _reason(error: BaseException) -> str:
    """The plugin's sentence, without the engine's and gRPC's framing."""
    text = str(error)
    marker = "returned an error: "
    if marker in text:
        text = text[text.rindex(marker) + len(marker):]
    return text.strip()


def _misses(image: Mapping[str, Any], rules: Mapping[str, Any]) -> List[str]:
    misses = []
    for field, rule in (("imageSource", "image_sources"), ("ownerPin", "owner_pins"), ("platform", "platforms")):
        allowed = rules.get(rule)
        if not allowed:
            continue
        found = image.get(field)
        if found not in allowed:
            wanted = ", ".join(f"'{a}'" for a in allowed)
            misses.append(f"{field} wanted one of {wanted}, found {repr(found) if found is not None else 'nothing'}")
    return misses


def guard_images(
    *,
    require: Optional[Mapping[str, Any]] = None,
    image_sources: Optional[Sequence[str]] = None,
    owner_pins: Optional[Sequence[str]] = None,
    platforms: Optional[Sequence[str]] = None,
    by_type: Optional[Mapping[str, Mapping[str, Any]]] = None,
    paths: Optional[Sequence[Mapping[str, str]]] = None,
    exclude: Optional[Sequence[Mapping[str, str]]] = None,
    region_id: Optional[str] = None,
    opts: Optional[pulumi.InvokeOptions] = None,
) -> None:
    """
    Guards every resource the program registers from here on: each JD Cloud image ID found in its
    inputs is looked up with the plugin's ``getImage`` before the resource is registered, and one
    that is missing, not ``ready`` (unless ``require`` says otherwise), or misses the guard's rules
    fails ``pulumi preview`` with an ``ImageGuardError`` naming the resource and the property path.
    An ID not yet known at preview passes the preview and is checked during ``up``, before the
    resource is created. The guard never changes a resource's inputs.

    :param require: What the image must be, as ``get_image``'s ``require`` (``{"os_type": ["linux"]}``);
        ``status`` is ``ready`` unless this says otherwise.
    :param image_sources: The image sources allowed, e.g. ``["public", "private"]``.
    :param owner_pins: The publishers allowed: the image's ``ownerPin`` must be one of these.
    :param platforms: The platforms allowed, e.g. ``["Ubuntu", "CentOS"]``.
    :param by_type: Rules for resources of one type, by type token; they replace the rules above
        for that type (keys ``require``, ``image_sources``, ``owner_pins``, ``platforms``).
    :param paths: More places to look, as ``{"type": TOKEN, "path": "boot.imageId"}`` (``"*"`` for
        every type: only values that look like image IDs). Paths name the inputs as the resource's
        schema does (``imageId``); a Python dict's snake_case keys (``image_id``) are found too.
        ``[]`` (or ``[*]``) after a list's name means each of its elements, ``[N]`` one of them.
    :param exclude: Places not to look: ``{"type": TOKEN, "path": P}``, or ``{"type": TOKEN}`` for
        every path of a type.
    :param region_id: The region of the lookups. Default: the resource's own top-level ``regionId``
        when it is a region ID, else the ``jdcloud-image:region`` setting.
    :param opts: Invoke options for the lookups, e.g. an explicit ``Provider``.
    """
    if region_id is not None and not _REGION_ID.match(region_id):
        raise _invalid("region_id", f"'{region_id}' is not a region ID", "pass a region ID such as 'cn-north-1'")
    exclusions = [
        (e.get("type", ""), None if e.get("path") is None else _canonical(_steps(e["path"], "exclude"))) for e in (exclude or [])
    ]

    def excluded(type_: str, path: Optional[str]) -> bool:
        return any((t == type_ or t == "*") and (p is None or p == path) for t, p in exclusions)

    # Each path parsed once: (its canonical spelling, its steps, whether every value there is checked).
    typed: Dict[str, List[Tuple[str, List[Union[str, int, None]], bool]]] = {}
    for type_, given in list(BRIDGED_PATHS) + [(p.get("type", ""), p.get("path", "")) for p in (paths or [])]:
        steps = _steps(given, "paths")
        path = _canonical(steps)
        typed.setdefault(type_, [])
        if all(q != path for q, _, _ in typed[type_]):
            typed[type_].append((path, steps, type_ != "*"))
    defaults = [(p, _steps(p, "paths"), False) for p in DEFAULT_PATHS]

    def paths_for(type_: str) -> List[Tuple[str, List[Union[str, int, None]], bool]]:
        if any(t == type_ and p is None for t, p in exclusions):
            return []
        found = [x for x in typed.get(type_, []) + typed.get("*", []) if not excluded(type_, x[0])]
        for d in defaults:
            if all(q != d[0] for q, _, _ in found) and not excluded(type_, d[0]) and not excluded("*", d[0]):
                found.append(d)
        return found

    base_rules = {"require": require, "image_sources": image_sources, "owner_pins": owner_pins, "platforms": platforms}
    invoke_opts = pulumi.InvokeOptions.merge(_utilities.get_invoke_opts_defaults(), opts)

    def transformation(args: pulumi.ResourceTransformationArgs) -> Optional[pulumi.ResourceTransformationResult]:
        props = args.props
        if not isinstance(props, dict):
            return None
        rules = dict((by_type or {}).get(args.type_, base_rules))
        own_region = props.get("regionId", props.get("region_id"))
        region = region_id or (own_region if isinstance(own_region, str) and _REGION_ID.match(own_region) else None)

        async def check(where: str, image_id: Any) -> None:
            try:
                if not isinstance(image_id, str):
                    raise ValueError(f"is {type(image_id).__name__}, not an image ID; pass the image ID as a string such as 'img-h8ly274zg9'.")
                lookup: Dict[str, Any] = {"imageId": image_id}
                if region:
                    lookup["regionId"] = region
                if rules.get("require"):
                    # As the caller wrote it (os_type or osType): the plugin reads both.
                    lookup["require"] = dict(rules["require"])
                image = await pulumi.runtime.invoke_async("jdcloud-image:index:getImage", lookup, invoke_opts)
                misses = _misses(image or {}, rules)
                if misses:
                    raise ValueError(
                        f"Image '{image_id}' in region {image.get('regionId')} does not meet the guard's rules "
                        f"({'; '.join(misses)}): choose another image or change the guard's rules (guard_images)."
                    )
            except Exception as error:  # noqa: BLE001 -- every failure is the guard's refusal, in one sentence
                raise ImageGuardError(args.name, args.type_, where, _reason(error)) from None

        changed = props
        for _, steps, strict in paths_for(args.type_):
            changed = _wrap(changed, steps, "", strict, check)
        if changed is props:
            return None
        return pulumi.ResourceTransformationResult(changed, args.opts)

    pulumi.runtime.register_stack_transformation(transformation)

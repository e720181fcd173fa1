// Look up and search JD Cloud VM images from any Pulumi language, failing the preview when an image is wrong.
package jdcloudimage

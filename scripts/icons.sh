#!/usr/bin/env bash
# Renders the app icons (public/icons/*.png, committed) from the two SVGs drawn by hand beside
# them, with Debian's rsvg-convert (apt-get install librsvg2-bin). Run again after changing an SVG.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../public/icons"
for size in 192 512; do
  rsvg-convert -w "$size" -h "$size" icon.svg -o "icon-$size.png"
  rsvg-convert -w "$size" -h "$size" icon-maskable.svg -o "icon-maskable-$size.png"
done
# iOS ignores the manifest's icons and rounds the corners itself: full bleed, 180 px.
rsvg-convert -w 180 -h 180 icon-maskable.svg -o apple-touch-icon.png

#!/usr/bin/env bash
# Refreshes the vendored front-end libraries in wwwroot/lib from the npm registry (versions pinned in package.json).
# The results are committed, so building and running TIBS.Cases never needs the network.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
rm -rf wwwroot/lib
mkdir -p wwwroot/lib/bootstrap/css wwwroot/lib/bootstrap/js wwwroot/lib/mermaid wwwroot/lib/axe-core wwwroot/lib/chart.js
cp "$work/node_modules/bootstrap/dist/css/bootstrap.min.css" "$work/node_modules/bootstrap/dist/css/bootstrap.min.css.map" wwwroot/lib/bootstrap/css/
cp "$work/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js" "$work/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map" wwwroot/lib/bootstrap/js/
cp "$work/node_modules/bootstrap/LICENSE" wwwroot/lib/bootstrap/
cp "$work/node_modules/mermaid/dist/mermaid.min.js" wwwroot/lib/mermaid/
cp "$work/node_modules/mermaid/LICENSE" wwwroot/lib/mermaid/
# Chart.js draws the indicator charts; its UMD build needs no module loader and no inline script.
cp "$work/node_modules/chart.js/dist/chart.umd.min.js" "$work/node_modules/chart.js/LICENSE.md" wwwroot/lib/chart.js/
# axe-core checks accessibility in the browser tests, which inject it from this file; the project file keeps it out of
# the served and published assets.
cp "$work/node_modules/axe-core/axe.min.js" "$work/node_modules/axe-core/LICENSE" wwwroot/lib/axe-core/
# The dossier PDF embeds DejaVu Sans (Latin with Polish, Baltic, German and Nordic letters); the program carries it as
# a resource and never relies on the machine's fonts.
cp "$work/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf" "$work/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" Exports/Fonts/
cp "$work/node_modules/dejavu-fonts-ttf/LICENSE" Exports/Fonts/
echo "Vendored: bootstrap $(node -p "require('$work/node_modules/bootstrap/package.json').version"), mermaid $(node -p "require('$work/node_modules/mermaid/package.json').version"), axe-core $(node -p "require('$work/node_modules/axe-core/package.json').version"), chart.js $(node -p "require('$work/node_modules/chart.js/package.json').version")"

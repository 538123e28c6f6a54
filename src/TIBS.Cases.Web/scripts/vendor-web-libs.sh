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
mkdir -p wwwroot/lib/bootstrap/css wwwroot/lib/bootstrap/js wwwroot/lib/mermaid wwwroot/lib/axe-core wwwroot/lib/chart.js wwwroot/lib/codemirror wwwroot/lib/bpmn-js
cp "$work/node_modules/bootstrap/dist/css/bootstrap.min.css" "$work/node_modules/bootstrap/dist/css/bootstrap.min.css.map" wwwroot/lib/bootstrap/css/
cp "$work/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js" "$work/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map" wwwroot/lib/bootstrap/js/
cp "$work/node_modules/bootstrap/LICENSE" wwwroot/lib/bootstrap/
cp "$work/node_modules/mermaid/dist/mermaid.min.js" wwwroot/lib/mermaid/
cp "$work/node_modules/mermaid/LICENSE" wwwroot/lib/mermaid/
# Chart.js draws the indicator charts; its UMD build needs no module loader and no inline script.
cp "$work/node_modules/chart.js/dist/chart.umd.min.js" "$work/node_modules/chart.js/LICENSE.md" wwwroot/lib/chart.js/
# CodeMirror 6 is published as ES modules: esbuild bundles the parts the definition editor needs into one minified
# script (no module loader, no inline script), with the licences of the packages it contains.
cp scripts/codemirror-entry.mjs "$work/"
(cd "$work" && node_modules/.bin/esbuild codemirror-entry.mjs --bundle --minify --format=iife --target=es2020 --legal-comments=none --outfile=codemirror.min.js)
cp "$work/codemirror.min.js" wwwroot/lib/codemirror/
for p in codemirror @codemirror/state @codemirror/view @codemirror/language @codemirror/lang-yaml @codemirror/lint; do
  cat "$work/node_modules/$p/LICENSE"; echo
done > wwwroot/lib/codemirror/LICENSE
# bpmn-js's viewer bundle (UMD: window.BpmnJS) draws an exported BPMN diagram on a version page, with its stylesheets.
cp "$work/node_modules/bpmn-js/dist/bpmn-viewer.production.min.js" "$work/node_modules/bpmn-js/LICENSE" wwwroot/lib/bpmn-js/
cp "$work/node_modules/bpmn-js/dist/assets/diagram-js.css" "$work/node_modules/bpmn-js/dist/assets/bpmn-js.css" wwwroot/lib/bpmn-js/
# axe-core checks accessibility in the browser tests, which inject it from this file; the project file keeps it out of
# the served and published assets.
cp "$work/node_modules/axe-core/axe.min.js" "$work/node_modules/axe-core/LICENSE" wwwroot/lib/axe-core/
# The dossier PDF embeds DejaVu Sans (Latin with Polish, Baltic, German and Nordic letters); the program carries it as
# a resource and never relies on the machine's fonts.
cp "$work/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf" "$work/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" Exports/Fonts/
cp "$work/node_modules/dejavu-fonts-ttf/LICENSE" Exports/Fonts/
echo "Vendored: bootstrap $(node -p "require('$work/node_modules/bootstrap/package.json').version"), mermaid $(node -p "require('$work/node_modules/mermaid/package.json').version"), axe-core $(node -p "require('$work/node_modules/axe-core/package.json').version"), chart.js $(node -p "require('$work/node_modules/chart.js/package.json').version"), codemirror $(node -p "require('$work/node_modules/@codemirror/view/package.json').version"), bpmn-js $(node -p "require('$work/node_modules/bpmn-js/package.json').version")"

// The parts of CodeMirror 6 the definition editor uses, bundled by scripts/vendor-web-libs.sh (esbuild) into
// wwwroot/lib/codemirror/codemirror.min.js as one script that sets window.TibsCodeMirror; wwwroot/js/yaml-editor.js
// builds the editor from it.
import { basicSetup } from 'codemirror';
import { EditorView } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, forceLinting } from '@codemirror/lint';

window.TibsCodeMirror = { basicSetup, EditorView, EditorState, yaml, linter, lintGutter, forceLinting };

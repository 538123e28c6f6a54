// Draws the workflow diagrams (<pre class="mermaid">) of the page. A file, not an inline script, so that the
// Content-Security-Policy allows no inline script at all.
mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });

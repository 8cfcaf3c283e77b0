/**
 * Escaping for untrusted text (event fields are data, never markup).
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text of any value, safe inside HTML element content and quoted attribute values (escapes & < > " '). */
export function escapeHtml(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Text for a plotly label (title, axis title, trace name, category, hover text).
 * Plotly renders a subset of HTML in its labels and decodes entities, so escaping
 * & < > makes the literal text show (an `<img …>` in an event is drawn as text).
 */
export function escapePlotlyText(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  return text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON that is safe to embed inside an HTML `<script>` element: `<`, `>`, `&` and the
 * line separators U+2028/U+2029 are written as \u escapes, so no `</script>` or `<!--`
 * can end or alter the script, whatever the data holds.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

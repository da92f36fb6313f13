/** The page `ner serve` answers GET / with: a text box whose text is tagged by POST /tag and shown highlighted. */
export const SERVE_PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ner serve</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.3rem}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:6px}
button{font:inherit;padding:.3rem 1rem;margin:.5rem 0}
#status{color:#555;font-size:.9rem;margin-left:.6rem}
#out{white-space:pre-wrap;border:1px solid #ddd;border-radius:6px;padding:.8rem;min-height:3rem}
mark{border-radius:4px;padding:0 .2em;background:hsl(0 0% 88%)}
mark::after{content:attr(data-type);font-size:.65em;font-weight:600;margin-left:.3em;vertical-align:.15em}
mark[data-type="PER"]{background:hsl(30 80% 85%)}mark[data-type="LOC"]{background:hsl(140 80% 85%)}
mark[data-type="ORG"]{background:hsl(215 80% 85%)}mark[data-type="MISC"]{background:hsl(280 80% 85%)}
</style>
<h1>Named entities</h1>
<textarea id="text" rows="5" placeholder="Type or paste text">Angela Merkel met Emmanuel Macron in Paris on Monday.</textarea>
<div><button id="tag">Tag</button><span id="status"></span></div>
<div id="out"></div>
<script>
const $ = (id) => document.getElementById(id);
const escape = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
async function tag() {
  const text = $('text').value;
  $('status').textContent = 'tagging...';
  const response = await fetch('tag', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  const result = await response.json();
  if (!response.ok) { $('status').textContent = result.error; return; }
  let html = '', at = 0;
  for (const e of result.entities) {
    html += escape(text.slice(at, e.start)) + '<mark data-type="' + escape(e.type) + '" title="' + escape(e.type) + ' ' + e.score.toFixed(3) + '">' + escape(text.slice(e.start, e.end)) + '</mark>';
    at = e.end;
  }
  $('out').innerHTML = html + escape(text.slice(at));
  $('status').textContent = result.entities.length + ' entities';
}
$('tag').addEventListener('click', tag);
</script>
</html>
`;

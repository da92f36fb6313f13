// The training page (train.html): reads the picked CoNLL files, trains with the browser build,
// shows each epoch, offers the model folder as one .zip (a folder is what Tagger.load and
// `ner tag --model` take; one download instead of five prompts) and tags a sentence with it.
// In an app: `import { trainModel, ... } from 'ner-window'` with a bundler.
import { modelBytes, modelFiles, parseLabeledConll, Tagger, trainModel, typeHue, zipFiles } from '../../dist/browser/ner-window.js';

const $ = (id) => document.getElementById(id);
const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

let controller = null;
let tagger = null;
const downloads = [];

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  $('result').hidden = true;
  $('epoch-rows').replaceChildren();
  downloads.splice(0).forEach((d) => URL.revokeObjectURL(d.url));
  setRunning(true);
  try {
    await run();
  } catch (err) {
    showError(err);
    $('status').textContent = 'Training did not finish.';
  } finally {
    setRunning(false);
  }
});

$('stop').addEventListener('click', () => controller?.abort());

async function run() {
  const trainPick = $('train-file').files[0];
  const devPick = $('dev-file').files[0];
  if (!trainPick) throw usageError('pick a training file first');
  $('status').textContent = `reading ${trainPick.name}…`;
  const train = await readLabeled(trainPick);
  const dev = devPick ? await readLabeled(devPick) : train;
  const epochs = readNumber('epochs');
  controller = new AbortController();
  $('epochs-section').hidden = false;
  const progress = $('progress');
  progress.hidden = false;
  const result = await trainModel({
    train,
    dev,
    backend: $('backend').value,
    // No pretrained vectors in a browser: the word vectors are learned from the file.
    vectors: null,
    epochs,
    patience: epochs,
    // One network: the progress bar follows its epochs (trainModel's default, like ner train's,
    // trains and averages three on a file under 100,000 tokens, each costing its own training).
    members: 1,
    hidden: [readNumber('hidden')],
    batchSize: readNumber('batch'),
    trainFile: trainPick.name,
    ...(devPick ? { devFile: devPick.name } : {}),
    name: modelName(trainPick.name),
    signal: controller.signal,
    onProgress: (epoch, done, total, loss) => {
      progress.value = (epoch - 1 + done / total) / epochs;
      $('status').textContent = `epoch ${epoch} of ${epochs}: ${done} of ${total} windows, loss ${loss.toFixed(4)}`;
    },
    onEpoch: async (m) => {
      addEpochRow(m);
      // Let the page paint the row before the next epoch takes the thread.
      await new Promise((done) => setTimeout(done, 0));
    },
  });
  progress.hidden = true;
  const files = await modelFiles(result);
  tagger = await Tagger.load(modelBytes(files), { backend: result.backend.name });
  offerDownloads(files, modelName(trainPick.name));
  const { precision, recall, f1 } = result.dev;
  const stopped = result.stopped === 'interrupted' ? 'stopped; ' : '';
  $('status').textContent = `${stopped}trained on ${result.backend.name}${result.backend.gpu ? ' (GPU)' : ''} in ${result.seconds.toFixed(1)} s; the kept model (epoch ${result.bestEpoch}, decoded as saved) on ${devPick ? 'dev' : 'the training file'}: F1 ${f1.toFixed(2)} (precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)})`;
  $('sample').value = dev[0].sentences[0].tokens.map((t) => t.text).join(' ');
  $('result').hidden = false;
  await tagSample();
}

/** A picked file as labelled documents; bad input is a NerError naming the file and line. */
async function readLabeled(file) {
  return parseLabeledConll(new Uint8Array(await file.arrayBuffer()), { file: file.name });
}

function readNumber(id) {
  const input = $(id);
  const value = Number(input.value);
  if (!input.checkValidity() || !Number.isInteger(value)) throw usageError(`${input.labels[0]?.textContent ?? id} must be a whole number from ${input.min} to ${input.max}`);
  return value;
}

function modelName(fileName) {
  return `${fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'ner'}-model`;
}

function addEpochRow(m) {
  if (m.best) $('epoch-rows').querySelectorAll('tr.best').forEach((tr) => tr.classList.remove('best'));
  const row = document.createElement('tr');
  if (m.best) row.className = 'best';
  const cells = [m.epoch, m.loss.toFixed(4), m.dev.precision.toFixed(2), m.dev.recall.toFixed(2), m.dev.f1.toFixed(2), Math.round(m.windowsPerSecond), m.seconds.toFixed(1)];
  row.innerHTML = cells.map((c) => `<td>${c}</td>`).join('');
  $('epoch-rows').append(row);
}

function offerDownloads(files, name) {
  const zip = zipFiles(files, name);
  const zipUrl = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
  downloads.push({ url: zipUrl });
  $('download').onclick = () => save(zipUrl, `${name}.zip`);
  $('download').textContent = `Download ${name}.zip (${kb(zip.length)})`;
  // The files one by one too, for whoever would rather not unzip.
  $('files').replaceChildren(...files.map((f) => {
    const url = URL.createObjectURL(new Blob([f.bytes]));
    downloads.push({ url });
    const li = document.createElement('li');
    li.innerHTML = `<a href="${url}" download="${escape(f.name)}">${escape(f.name)}</a> (${kb(f.bytes.length)})`;
    return li;
  }));
}

function save(url, fileName) {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
}

const kb = (n) => (n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(2)} MB`);

async function tagSample() {
  const text = $('sample').value;
  const { entities } = await tagger.tag(text);
  let html = '';
  let at = 0;
  for (const e of entities) {
    const hue = typeHue(e.type);
    html += escape(text.slice(at, e.start));
    html += `<mark style="background: hsl(${hue} 75% 85%)" data-type="${escape(e.type)}" title="${escape(e.type)} ${e.score.toFixed(3)}">${escape(text.slice(e.start, e.end))}</mark>`;
    at = e.end;
  }
  $('tagged').innerHTML = html + escape(text.slice(at));
}
$('sample').addEventListener('input', () => tagSample().catch(showError));

/** A mistake in the form, shown as the library's errors are. */
function usageError(message) {
  return Object.assign(new Error(message), { code: 'E_USAGE' });
}

/** Bad input and refusals as a sentence on the page: a NerError's message names the file, the line and what to do. */
function showError(err) {
  const box = $('error');
  box.hidden = !err;
  if (!err) return;
  box.textContent = err.code ? err.message : `Something went wrong: ${err.message}`;
}

function setRunning(running) {
  $('train').disabled = running;
  $('stop').disabled = !running;
  if (!running) $('progress').hidden = true;
}

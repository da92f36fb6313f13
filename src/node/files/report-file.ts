/**
 * Writing a report page to a path the user named, without ever replacing a file we did not
 * write: an existing path is replaced only when it is a report (it starts with REPORT_MARKER).
 */
import { open, rename, rm, writeFile, lstat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NerError } from '../../core/errors.js';
import { isReport, REPORT_MARKER } from '../../core/report/page.js';

/** How much of an existing file is read to find the marker. */
const HEAD_BYTES = 256;

/**
 * Writes `html` (a page from reportPage) to `path` atomically (a sibling temporary file renamed
 * into place). An existing path must be a regular file that is a report; anything else is
 * refused with E_FILE and left untouched.
 *
 * @example
 * await writeReportFile('out.html', renderEvalReport({ model, file, scores }));
 */
export async function writeReportFile(path: string, html: string): Promise<void> {
  if (!isReport(html)) throw new Error('writeReportFile: the page does not start with the report marker');
  await checkReportPath(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, html, { flag: 'wx' });
    // Checked again just before the rename: the path may have appeared meanwhile.
    await checkReportPath(path);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof NerError) throw err;
    const reason = err instanceof Error ? err.message.replace(/^E[A-Z]+: /, '') : String(err);
    throw new NerError('E_FILE', `cannot write the report: ${reason}`, { file: path });
  }
}

/**
 * Refuses (E_FILE) a path that exists and is not a report we wrote, as writeReportFile does.
 *
 * @example
 * await checkReportPath('out.html'); // before the work whose report it will hold
 */
export async function checkReportPath(path: string): Promise<void> {
  const stat = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new NerError('E_FILE', `cannot write the report: ${err.message.replace(/^E[A-Z]+: /, '')}`, { file: path });
  });
  if (stat === null) return;
  const refuse = (why: string) => new NerError('E_FILE', `refusing to overwrite: ${why}`, { file: path, hint: 'choose another path or remove the file' });
  if (!stat.isFile()) throw refuse(stat.isDirectory() ? 'it is a folder' : 'it is not a regular file');
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    if (!isReport(buffer.subarray(0, bytesRead).toString('utf8'))) throw refuse(`it is not a report ner wrote (no ${REPORT_MARKER} at its start)`);
  } finally {
    await handle.close();
  }
}

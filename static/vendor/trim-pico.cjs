// Writes pico-2.1.1.jade.trimmed.min.css: Pico without the rules Kyora's pages never use.
//
// PurgeCSS (settings in purgecss.config.cjs) drops rules whose classes and tags appear in
// no template, Python module or script. Then the dark theme goes too: every page sets
// `data-theme="light"` on <html>, so Pico's `[data-theme=dark]` rules and its
// `prefers-color-scheme: dark` block (aimed at `:root:not([data-theme])`) never apply.
//
// Run from the repository root with PurgeCSS v6 installed globally (`make trim-css`).
const fs = require("fs");
const path = require("path");

const purgecssEntry = require.resolve("purgecss");
const postcss = require(require.resolve("postcss", { paths: [path.dirname(purgecssEntry)] }));
const { PurgeCSS } = require(purgecssEntry);
const config = require("./purgecss.config.cjs");

const OUTPUT = path.join(__dirname, "pico-2.1.1.jade.trimmed.min.css");

const DARK = /(?<!:not\()\[data-theme=dark\]/;

function isDarkSelector(selector) {
  return DARK.test(selector);
}

function isDarkRule(rule) {
  return rule.selectors.every(isDarkSelector);
}

function dropDarkTheme(css) {
  const root = postcss.parse(css);
  root.walkAtRules("media", (atRule) => {
    if (/prefers-color-scheme:\s*dark/.test(atRule.params)) atRule.remove();
  });
  root.walkRules((rule) => {
    if (isDarkRule(rule)) {
      rule.remove();
    } else if (rule.selectors.some(isDarkSelector)) {
      rule.selectors = rule.selectors.filter((selector) => !isDarkSelector(selector));
    }
  });
  return root.toString();
}

async function main() {
  const [result] = await new PurgeCSS().purge(config);
  const css = dropDarkTheme(result.css);
  fs.writeFileSync(OUTPUT, css.endsWith("\n") ? css : css + "\n");
  const before = fs.statSync(config.css[0]).size;
  console.log(`${path.relative(process.cwd(), OUTPUT)}: ${before} -> ${Buffer.byteLength(css)} bytes`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

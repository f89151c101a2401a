// Trims Pico to the rules Kyora's pages use. `make trim-css` runs it through
// trim-pico.cjs, which writes pico-2.1.1.jade.trimmed.min.css from the full
// pico-2.1.1.jade.min.css beside it. Paths are relative to the repository root.
const fs = require("fs");
const { globSync } = require(require.resolve("glob", { paths: [require.resolve("purgecss")] }));

// Python code is full of words that are also Pico selectors (`range`, `time`, `file`);
// only its string literals can hold markup or class names, so only they are read.
const PYTHON_STRING = /("""[\s\S]*?"""|'\'\'[\s\S]*?'\'\'|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g;
const WORD = /[A-Za-z0-9_-]+/g;

function pythonStringWords(source) {
  return (source.match(PYTHON_STRING) || []).flatMap((literal) => literal.match(WORD) || []);
}

// Pico's custom properties that Kyora's own CSS and templates read (`var(--pico-...)`):
// PurgeCSS only sees the ones Pico itself reads, so these are kept by name.
function picoVariablesUsedByKyora() {
  const sources = [...globSync("static/css/*.css"), ...globSync("templates/**/*.html")];
  const used = sources.flatMap((file) => fs.readFileSync(file, "utf8").match(/--pico-[A-Za-z0-9-]+/g) || []);
  return [...new Set(used)];
}

module.exports = {
  css: ["static/vendor/pico-2.1.1.jade.min.css"],
  content: [
    "templates/**/*.html",
    // Classes and markup built in Python, and class names scripts toggle.
    "kyora/**/*.py",
    "static/js/*.js",
    // Markup WTForms widgets render, which no template spells out.
    {
      raw:
        '<label><input type="text hidden checkbox radio password email number date file search tel url">' +
        '<textarea></textarea><select multiple><option selected></option></select><ul><li></li></ul></label>',
      extension: "html",
    },
  ],
  extractors: [{ extractor: pythonStringWords, extensions: ["py"] }],
  safelist: {
    // Base rules and custom properties every page relies on, and pseudo-classes:
    // `:where(:root)`, `:is(:hover, :focus)` and the like hold no class or tag of
    // their own, so without this PurgeCSS drops them along with Pico's base styles.
    standard: ["html", "body", /^:[a-z-]+$/],
    // Right-to-left layout and the states browsers and scripts set on elements.
    greedy: [
      /^data-theme$/,
      /^dir$/,
      /^aria-invalid$/,
      /^aria-busy$/,
      /^aria-current$/,
      /^disabled$/,
      /^open$/,
      /^readonly$/,
      /^required$/,
    ],
    variables: picoVariablesUsedByKyora(),
  },
  fontFace: false,
  keyframes: false,
  // Drop custom properties nothing reads.
  variables: true,
};

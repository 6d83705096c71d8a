// Jest transform for ESM-only packages in node_modules (NestJS 12 ships ES modules only).
// Jest's module runtime cannot load ES modules through require() before Node 24.9, and the
// whole test suite is CommonJS (ts-jest), so those packages are compiled to CommonJS here:
// `import.meta` is rewritten to its CommonJS equivalents first, then TypeScript's transpiler
// turns import/export (and dynamic import()) into require(). Only the packages listed in
// jest.config.js's transformIgnorePatterns exception go through it.
const crypto = require('crypto');
const ts = require('typescript');

const VERSION = '1';

function rewriteImportMeta(source) {
  return (
    source
      // `const require = createRequire(import.meta.url)` would shadow CommonJS's own require.
      .replace(/^\s*const require = createRequire\(import\.meta\.url\);?\s*$/gm, '')
      .replace(/createRequire\(import\.meta\.url\)/g, 'require')
      .replace(/import\.meta\.url/g, "require('url').pathToFileURL(__filename).href")
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename')
      .replace(/import\.meta\.resolve\(/g, 'require.resolve(')
  );
}

module.exports = {
  process(source, filename) {
    const out = ts.transpileModule(rewriteImportMeta(source), {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
  getCacheKey(source, filename) {
    return crypto
      .createHash('sha1')
      .update(VERSION)
      .update(ts.version)
      .update(filename)
      .update(source)
      .digest('hex');
  },
};

// Runs the Mocha suite inside the extension host, as @vscode/test-electron's
// extensionTestsPath does (and test/e2e/run.mjs in code-server): run() resolves when all
// tests passed. The TAP reporter prints one `ok N title` / `not ok N title` line per test.
const path = require("path");
const Mocha = require("mocha");

exports.run = function run() {
  const mocha = new Mocha({ ui: "tdd", reporter: "tap", color: false, timeout: 60000 });
  for (const f of require("fs").readdirSync(__dirname).sort()) {
    if (f.endsWith(".test.js")) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed`)) : resolve()));
  });
};

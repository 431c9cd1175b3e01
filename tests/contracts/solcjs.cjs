// tests/contracts/solcjs.cjs: solc's command line as forge calls it, over
// the npm package solc-VERSION (solc-js), since forge cannot download a
// compiler here.  Usage: node solcjs.cjs VERSION --version | --standard-json
// (input on stdin).  It answers nothing else.  A source the JSON lacks is
// read from disk, relative to the directory forge runs it in.
'use strict';
const path = require('path');
const ver = process.argv[2];
const args = process.argv.slice(3);
const solc = require(path.join(__dirname, '../../build/npm/node_modules/solc-' + ver));
if (args.includes('--version')) {
    const v = solc.version().replace(/\.Emscripten.*$/, '');
    process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + v + '\n');
} else if (args.includes('--standard-json')) {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => {
        const fs = require('fs');
        const find = (p) => {
            try {
                return { contents: fs.readFileSync(p, 'utf8') };
            } catch (e) {
                return { error: 'not found: ' + p };
            }
        };
        const out = solc.compile(Buffer.concat(chunks).toString('utf8'), { import: find });
        process.stdout.write(out);
    });
} else {
    process.stderr.write('solcjs.cjs: only --version and --standard-json\n');
    process.exit(2);
}

// tests/chain/compile.cjs: compiles Morpho Blue (the npm package's sources),
// its oracle and IRM mocks and TestToken.sol with solc-js, once; the
// artifacts (ABI method ids and bytecode) are cached beside node_modules.
// usage: node compile.cjs NPM_DIR OUT.json
'use strict';
const fs = require('fs');
const path = require('path');
const npm = path.resolve(process.argv[2]);
const out = process.argv[3];
const solc = require(path.join(npm, 'node_modules', 'solc'));
const blue = path.join(npm, 'node_modules', '@morpho-org', 'morpho-blue');
const sources = {
  'Morpho.sol': fs.readFileSync(path.join(blue, 'src/Morpho.sol'), 'utf8'),
  'OracleMock.sol': fs.readFileSync(path.join(blue, 'src/mocks/OracleMock.sol'), 'utf8'),
  'IrmMock.sol': fs.readFileSync(path.join(blue, 'src/mocks/IrmMock.sol'), 'utf8'),
  'TestToken.sol': fs.readFileSync(path.join(__dirname, 'TestToken.sol'), 'utf8'),
};
function findImports(p) {
  const cands = [path.join(blue, 'src', p), path.join(blue, 'src/mocks', p),
    path.join(npm, 'node_modules', p)];
  for (const c of cands) if (fs.existsSync(c)) return { contents: fs.readFileSync(c, 'utf8') };
  return { error: 'not found: ' + p };
}
// Relative imports resolve against the importing file's folder in solc;
// give the mocks their real paths so that "../interfaces" works.
const input = {
  language: 'Solidity',
  sources: {
    'src/Morpho.sol': { content: sources['Morpho.sol'] },
    'src/mocks/OracleMock.sol': { content: sources['OracleMock.sol'] },
    'src/mocks/IrmMock.sol': { content: sources['IrmMock.sol'] },
    'test/TestToken.sol': { content: sources['TestToken.sol'] },
  },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.methodIdentifiers'] } },
  },
};
function resolve(p) {
  if (p.startsWith('@morpho-org/morpho-blue/')) return path.join(npm, 'node_modules', p);
  return path.join(blue, p);
}
const res = JSON.parse(solc.compile(JSON.stringify(input), {
  import: (p) => {
    const f = resolve(p);
    return fs.existsSync(f) ? { contents: fs.readFileSync(f, 'utf8') } : { error: 'not found: ' + p };
  },
}));
const errs = (res.errors || []).filter((e) => e.severity === 'error');
if (errs.length) { console.error(errs.map((e) => e.formattedMessage).join('\n')); process.exit(1); }
const pick = (file, name) => {
  const c = res.contracts[file][name];
  return { bytecode: '0x' + c.evm.bytecode.object, methods: c.evm.methodIdentifiers };
};
fs.writeFileSync(out, JSON.stringify({
  Morpho: pick('src/Morpho.sol', 'Morpho'),
  OracleMock: pick('src/mocks/OracleMock.sol', 'OracleMock'),
  IrmMock: pick('src/mocks/IrmMock.sol', 'IrmMock'),
  TestToken: pick('test/TestToken.sol', 'TestToken'),
}));

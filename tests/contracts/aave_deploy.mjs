// tests/contracts/aave_deploy.mjs: an Aave v3 pool deployed on anvil from
// the npm packages, v3.6 (@aave-dao/aave-v3-origin 3.6.0, compiled by
// forge) or v3.0.2 (@aave/core-v3 1.19.3, its own compiled artifacts):
// provider, ACL, pool and configurator with their libraries linked, our
// settable oracle, and one reserve a [symbol, decimals] of the list, each
// borrowable.  Shared by aave.mjs and aave_feed.mjs; no protocol rule.
import * as L from './lib.mjs';

const abi = L.AbiCoder.defaultAbiCoder();
const ZERO = '0x0000000000000000000000000000000000000000';
const V36 = L.top + '/build/contracts/aave36/out';
const V30 = L.npm + '/@aave/core-v3/artifacts/contracts';
export const MOCKS = L.top + '/build/contracts/morpho/out/Mocks.sol';
export const art36 = (name) => L.artifact(`${V36}/${name}.sol/${name}.json`);
export const art30 = (p) => L.artifact(`${V30}/${p}.json`);

async function deployLibs(node, owner, arts) {
    const libs = {};
    const pending = Object.entries(arts);
    while (pending.length) {
        const i = pending.findIndex(([, a]) =>
            Object.values(a.links).every((m) => Object.keys(m).every((n) => libs[n])));
        const [name, a] = pending.splice(i, 1)[0];
        libs[name] = (await L.deploy(node, owner, a, [], libs)).address;
    }
    return libs;
}

// The pool, its configurator, tokens and oracle: {pool, conf, oracle, ...}
export async function deployAave(node, version, owner, treasury, reserveList) {
    const v30 = version === '3.0';
    const a = (n36, p30) => (v30 ? art30(p30) : art36(n36));
    const provider = await L.deploy(node, owner,
        a('PoolAddressesProvider', 'protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider'), ['liqtop', owner]);
    await provider.send(owner, 'setACLAdmin', owner);
    const acl = await L.deploy(node, owner, a('ACLManager', 'protocol/configuration/ACLManager.sol/ACLManager'), [provider.address]);
    await provider.send(owner, 'setACLManager', acl.address);
    await acl.send(owner, 'addPoolAdmin', owner);
    const oracle = await L.deploy(node, owner, L.artifact(`${MOCKS}/SetPriceOracle.json`));
    await provider.send(owner, 'setPriceOracle', oracle.address);

    let poolArt, confArt, libs, irs;
    if (v30) {
        const names = ['BorrowLogic', 'BridgeLogic', 'EModeLogic', 'FlashLoanLogic', 'LiquidationLogic', 'PoolLogic', 'SupplyLogic', 'ConfiguratorLogic'];
        libs = await deployLibs(node, owner, Object.fromEntries(names.map((n) => [n, art30(`protocol/libraries/logic/${n}.sol/${n}`)])));
        poolArt = art30('protocol/pool/Pool.sol/Pool');
        confArt = art30('protocol/pool/PoolConfigurator.sol/PoolConfigurator');
        const ray = L.RAY;
        irs = await L.deploy(node, owner, art30('protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy'),
            [provider.address, (ray * 8n) / 10n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, (ray * 2n) / 10n]);
    } else {
        const names = ['BorrowLogic', 'FlashLoanLogic', 'LiquidationLogic', 'PoolLogic', 'SupplyLogic', 'ConfiguratorLogic'];
        libs = await deployLibs(node, owner, Object.fromEntries(names.map((n) => [n, art36(n)])));
        poolArt = art36('PoolInstance');
        confArt = art36('PoolConfiguratorInstance');
        irs = await L.deploy(node, owner, art36('DefaultReserveInterestRateStrategyV2'), [provider.address]);
    }
    const poolImpl = await L.deploy(node, owner, poolArt, v30 ? [provider.address] : [provider.address, irs.address], libs);
    await provider.send(owner, 'setPoolImpl', poolImpl.address);
    const pool = new L.Contract(node, await provider.call('getPool'), poolArt.abi);
    const confImpl = await L.deploy(node, owner, confArt, [], libs);
    await provider.send(owner, 'setPoolConfiguratorImpl', confImpl.address);
    const conf = new L.Contract(node, await provider.call('getPoolConfigurator'), confArt.abi);

    let aImpl, vImpl, sImpl, aArt, vArt;
    if (v30) {
        aArt = art30('protocol/tokenization/AToken.sol/AToken');
        vArt = art30('protocol/tokenization/VariableDebtToken.sol/VariableDebtToken');
        aImpl = await L.deploy(node, owner, aArt, [pool.address]);
        vImpl = await L.deploy(node, owner, vArt, [pool.address]);
        sImpl = await L.deploy(node, owner, art30('protocol/tokenization/StableDebtToken.sol/StableDebtToken'), [pool.address]);
    } else {
        aArt = art36('ATokenInstance');
        vArt = art36('VariableDebtTokenInstance');
        aImpl = await L.deploy(node, owner, aArt, [pool.address, ZERO, treasury]);
        vImpl = await L.deploy(node, owner, vArt, [pool.address, ZERO]);
    }
    const tokArt = L.artifact(`${MOCKS}/TestToken.json`);
    const reserves = [];
    for (const [sym, dec] of reserveList) {
        const t = await L.deploy(node, owner, tokArt, [sym, dec]);
        const input = v30
            ? [aImpl.address, sImpl.address, vImpl.address, dec, irs.address, t.address, treasury, ZERO,
                `a${sym}`, `a${sym}`, `v${sym}`, `v${sym}`, `s${sym}`, `s${sym}`, '0x']
            : [aImpl.address, vImpl.address, t.address, `a${sym}`, `a${sym}`, `v${sym}`, `v${sym}`, '0x',
                abi.encode(['uint16', 'uint32', 'uint32', 'uint32'], [8000, 0, 0, 0])];
        await conf.send(owner, 'initReserves', [input]);
        await conf.send(owner, 'setReserveBorrowing', t.address, true);
        const rd = await pool.call('getReserveData', t.address);
        const aToken = new L.Contract(node, rd.aTokenAddress, aArt.abi);
        const vToken = new L.Contract(node, rd.variableDebtTokenAddress, vArt.abi);
        reserves.push({ sym, dec, token: t, aToken, vToken });
    }
    return { pool, conf, oracle, reserves, provider, aArt, vArt };
}


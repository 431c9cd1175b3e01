// SPDX-License-Identifier: MIT
// tests/contracts/aave36/AaveBuild.sol: what forge compiles for the Aave
// v3.6 cases, from the npm package @aave-dao/aave-v3-origin 3.6.0: the
// pool and its configurator as the package's instances, the tokens, the
// addresses provider, the ACL and the rate strategy.  The pool's logic
// libraries come with it and are linked at deployment.
pragma solidity ^0.8.10;

import "@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/PoolAddressesProvider.sol";
import "@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/ACLManager.sol";
import "@aave-dao/aave-v3-origin/src/contracts/instances/PoolInstance.sol";
import "@aave-dao/aave-v3-origin/src/contracts/instances/PoolConfiguratorInstance.sol";
import "@aave-dao/aave-v3-origin/src/contracts/instances/ATokenInstance.sol";
import "@aave-dao/aave-v3-origin/src/contracts/instances/VariableDebtTokenInstance.sol";
import "@aave-dao/aave-v3-origin/src/contracts/misc/DefaultReserveInterestRateStrategyV2.sol";

// SPDX-License-Identifier: MIT
// tests/contracts/morpho/Morpho.sol: what forge compiles for the Morpho
// Blue cases: Morpho itself from the npm package and our test doubles.
pragma solidity 0.8.19;

import "@morpho-org/morpho-blue/src/Morpho.sol";
import "../sol/Mocks.sol";

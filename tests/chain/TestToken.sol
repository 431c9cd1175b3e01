// SPDX-License-Identifier: GPL-2.0-or-later
// An ERC-20 for the chain tests: Morpho Blue's own mock with the symbol and
// decimals a real token reports.
pragma solidity 0.8.19;

import {ERC20Mock} from "@morpho-org/morpho-blue/src/mocks/ERC20Mock.sol";

contract TestToken is ERC20Mock {
    string public symbol;
    uint8 public decimals;

    constructor(string memory symbol_, uint8 decimals_) {
        symbol = symbol_;
        decimals = decimals_;
    }
}

// SPDX-License-Identifier: MIT
// tests/contracts/sol/Mocks.sol: the test doubles the protocols' contracts
// are deployed with: an ERC20 of any decimals that anyone may mint, a
// Morpho oracle and a Morpho IRM whose answers the test sets, and an Aave
// price oracle whose prices the test sets.  Nothing here does the
// protocols' arithmetic: that stays in their own contracts.
pragma solidity ^0.8.10;

contract TestToken {
    string public name;
    string public symbol;
    uint8 public decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory symbol_, uint8 decimals_) {
        name = symbol_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        if (a != type(uint256).max) allowance[from][msg.sender] = a - amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}

// Morpho's IOracle: price() of one collateral unit in loan units, 1e36.
contract FixedOracle {
    uint256 public price;

    function setPrice(uint256 p) external {
        price = p;
    }
}

// Morpho's IIrm: one borrow rate per second (WAD) for every market.
contract FixedRateIrm {
    uint256 public rate;

    struct MarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }

    struct Market {
        uint128 totalSupplyAssets;
        uint128 totalSupplyShares;
        uint128 totalBorrowAssets;
        uint128 totalBorrowShares;
        uint128 lastUpdate;
        uint128 fee;
    }

    function setRate(uint256 r) external {
        rate = r;
    }

    function borrowRate(MarketParams memory, Market memory) external view returns (uint256) {
        return rate;
    }

    function borrowRateView(MarketParams memory, Market memory) external view returns (uint256) {
        return rate;
    }
}

// Aave's IPriceOracleGetter as the pool reads it: a base-currency price a
// asset, 8 decimals (USD).
contract SetPriceOracle {
    mapping(address => uint256) public getAssetPrice;
    uint256 public constant BASE_CURRENCY_UNIT = 1e8;
    address public constant BASE_CURRENCY = address(0);

    function setAssetPrice(address asset, uint256 p) external {
        getAssetPrice[asset] = p;
    }
}

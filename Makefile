# liqtop: the only build entry.
#
#   make            build ./liqtop (debug-friendly -O2 -g)
#   make run        build, then start the dashboard on the demo book
#   make check      unit, property, view, loop, cli, xcheck and e2e tests + dep
#                   rules
#                   (with a few cases against the protocols' real contracts)
#   make check-contracts   hundreds of cases against each protocol's contract
#   make bench      optimized build, 1,000,000- and 10,000,000-position
#                   benchmarks (simdjson installed for them alone), and
#                   an import of 10,000 positions from a local anvil
#   make bench-stream   a Redis stream read beside the same lines replayed
#   make bench-shards   the 1,000,000-position book on four workers and
#                   one Redis, the merged view against one process
#   make SAN=address,undefined check    the same under sanitizers
#   make WERROR=1   warnings are errors
#   make format / format-check / golden / soak / fuzz / install / clean
#
# Missing libraries and tools are installed with apt-get when make runs as
# root; otherwise the one command to run is printed.

PREFIX   ?= /usr/local
# V=1 prints every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif
CC       ?= cc
SAN      ?=
WERROR   ?=
OPT      ?= -O2

ifeq ($(SAN),)
VARIANT  ?= debug
else
VARIANT  ?= san
endif
BUILD    ?= build/$(VARIANT)

PKGS     := libuv ncursesw libcjson hiredis libcurl libutf8proc
TEST_PKGS := check
APT_PKGS := build-essential pkg-config libuv1-dev libncurses-dev libcjson-dev \
            check libhiredis-dev libcurl4-openssl-dev libutf8proc-dev tmux \
            redis-server clang-format bc

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
        -Wwrite-strings -Wformat=2 -Wcast-qual -Wundef -Wvla -Wfloat-equal \
        -Wimplicit-fallthrough
ifneq ($(WERROR),)
WARN += -Werror
endif

CFLAGS_BASE := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) -g \
               $(WARN) -I. -MMD -MP
ifneq ($(SAN),)
CFLAGS_BASE += -fsanitize=$(SAN) -fno-omit-frame-pointer \
               -fno-sanitize-recover=all
LDFLAGS_SAN := -fsanitize=$(SAN)
endif

# Configuration: which packages are present, and their flags, is written
# once per build folder; making it installs what is missing.
NODEPS_GOALS := clean format format-check help
ifeq ($(filter $(NODEPS_GOALS),$(MAKECMDGOALS)),)
-include $(BUILD)/config.mk
endif

CORE_SRC  := $(sort $(wildcard core/*.c))
FEEDS_SRC := $(sort $(wildcard feeds/*.c))
TUI_SRC   := $(sort $(wildcard tui/*.c))
APP_SRC   := $(sort $(filter-out app/main.c,$(wildcard app/*.c)))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

CORE_OBJ  := $(call obj,$(CORE_SRC))
FEEDS_OBJ := $(call obj,$(FEEDS_SRC))
TUI_OBJ   := $(call obj,$(TUI_SRC))
APP_OBJ   := $(call obj,$(APP_SRC))
MAIN_OBJ  := $(call obj,app/main.c)

LIBS := $(BUILD)/libapp.a $(BUILD)/libtui.a $(BUILD)/libfeeds.a \
        $(BUILD)/libcore.a

TEST_DIRS := unit prop view loop
TEST_SRC  := $(foreach d,$(TEST_DIRS),$(sort $(wildcard tests/$(d)/*.c)))
TEST_COMMON_SRC := $(sort $(wildcard tests/common/*.c))
TEST_COMMON_OBJ := $(call obj,$(TEST_COMMON_SRC))
TEST_BIN  := $(patsubst %.c,$(BUILD)/%,$(TEST_SRC))
# Every fuzz target; each is also a regression test on its corpus.
FUZZ_TARGETS := line decimal portfolio jsonl theme config args
FUZZ_REPLAY := $(addprefix $(BUILD)/tests/fuzz/,$(FUZZ_TARGETS))

# core/ is stricter: it holds the money.
$(BUILD)/core/%.o: CFLAGS_EXTRA := -Wconversion -Wsign-conversion

.PHONY: liqtop all run check unit-tests cli-tests e2e-tests check-deps bench bench-deps soak \
        bench-stream \
        bench-shards \
        golden format format-check install clean fuzz fuzz-deps fuzz-merge help \
        contracts check-contracts

all: liqtop

# Test helpers are intermediate objects; keep them between runs.
.SECONDARY:

# Always refreshed, so ./liqtop is the variant just built (SAN or not).
liqtop: $(BUILD)/liqtop
	@cmp -s $< $@ || cp $< $@

$(BUILD)/liqtop: $(MAIN_OBJ) $(LIBS)
	$(Q)$(CC) $(LDFLAGS_SAN) -o $@ $(MAIN_OBJ) $(LIBS) $(PKG_LIBS) -lm

$(BUILD)/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_BASE) $(CFLAGS_EXTRA) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libcore.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(BUILD)/libfeeds.a: $(FEEDS_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(BUILD)/libtui.a: $(TUI_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(BUILD)/libapp.a: $(APP_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/tests/%: tests/%.c $(TEST_COMMON_OBJ) $(LIBS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< \
		$(TEST_COMMON_OBJ) $(LIBS) $(PKG_LIBS) $(TEST_LIBS) -lm \
		$(LDFLAGS_SAN)

run: liqtop
	./liqtop

# Every test layer; tests/run prints one "N passed, N failed" line.
check: check-deps liqtop $(TEST_BIN) $(FUZZ_REPLAY) contracts
	@BUILD=$(BUILD) LIQTOP=./liqtop sh tests/run $(TEST_BIN) $(FUZZ_REPLAY)

# core/ purity and the one-way dependency rule of design.md section 1.
check-deps:
	@sh tests/check-deps

# The protocols' contracts on a local EVM (tests/contracts): nodejs and npm
# from apt-get when missing, the npm packages pinned by
# tests/contracts/package-lock.json into build/npm, forge's artifacts
# under build/contracts.  CONTRACT_CASES sets the cases per protocol.
NPM_DIR  := build/npm
FORGE    := $(NPM_DIR)/node_modules/@foundry-rs/forge-linux-amd64/bin/forge
CONTRACT_SOL := $(wildcard tests/contracts/*/*.sol) tests/contracts/foundry.toml
CONTRACT_CASES ?= 300

contracts: $(NPM_DIR)/.installed build/contracts/morpho/.built \
           build/contracts/aave36/.built

$(NPM_DIR)/.installed: tests/contracts/package.json tests/contracts/package-lock.json
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing nodejs and npm with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq nodejs npm >/dev/null || exit 1; \
		else \
			echo "missing nodejs and npm; run:"; \
			echo "  sudo apt-get install -y nodejs npm"; exit 1; \
		fi; \
	fi
	@mkdir -p $(NPM_DIR)/bin
	@cp tests/contracts/package.json tests/contracts/package-lock.json $(NPM_DIR)/
	@echo "installing the contract tests' npm packages into $(NPM_DIR)"
	$(Q)cd $(NPM_DIR) && npm ci --no-audit --no-fund --ignore-scripts \
		--loglevel=error >/dev/null
	@for v in 0.8.19 0.8.27; do \
		printf '#!/bin/sh\nexec node "%s/tests/contracts/solcjs.cjs" %s "$$@"\n' \
			"$(CURDIR)" $$v > $(NPM_DIR)/bin/solc-$$v; \
		chmod +x $(NPM_DIR)/bin/solc-$$v; done
	@touch $@

build/contracts/morpho/.built: $(NPM_DIR)/.installed $(CONTRACT_SOL)
	@echo "compiling Morpho Blue and the test doubles (solc-js 0.8.19)"
	$(Q)cd tests/contracts && ../../$(FORGE) build --quiet
	@touch $@

build/contracts/aave36/.built: $(NPM_DIR)/.installed $(CONTRACT_SOL)
	@echo "compiling Aave v3.6 (solc-js 0.8.27)"
	$(Q)cd tests/contracts && FOUNDRY_PROFILE=aave36 ../../$(FORGE) build --quiet
	@touch $@

check-contracts: liqtop contracts
	@LIQTOP=./liqtop CASES=$(CONTRACT_CASES) sh tests/contracts/run

bench: bench-deps
	@$(MAKE) --no-print-directory VARIANT=bench SAN= OPT="-O2 -DNDEBUG" \
		build/bench/liqtop build/bench/tests/bench/bench \
		build/bench/tests/bench/bench_stress \
		build/bench/tests/bench/bench_multi
	@sh tests/bench/run build/bench

# A Redis stream read by liqtop beside the same lines from a file.
bench-stream:
	@$(MAKE) --no-print-directory VARIANT=bench SAN= OPT="-O2 -DNDEBUG" \
		build/bench/liqtop
	@sh tests/bench/stream.sh build/bench

# The benchmark's limit for load and snapshot is a simdjson parse
# (tests/bench/bench_limit.cc): linked into the benchmark alone, never
# into liqtop, and installed only for it.
BENCH_APT := g++ libsimdjson-dev
bench-deps:
	@[ -f /usr/include/simdjson.h ] && command -v $(CXX) >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing $(BENCH_APT) with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $(BENCH_APT) >/dev/null || exit 1; \
		else \
			echo "make bench needs simdjson; run:"; \
			echo "  sudo apt-get install -y $(BENCH_APT)"; exit 1; \
		fi; }

build/bench/tests/bench/bench_limit.o: tests/bench/bench_limit.cc \
		tests/bench/bench_limit.h tests/bench/bench_time.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 $(OPT) -g -Wall -Wextra -I. -c -o $@ $<

build/bench/tests/bench/bench_stress: tests/bench/bench_stress.c $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIBS) \
		$(PKG_LIBS) -lm

build/bench/tests/bench/bench_multi: tests/bench/bench_multi.c $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIBS) \
		$(PKG_LIBS) -lm

build/bench/tests/bench/bench: tests/bench/bench.c tests/bench/bench_dash.c \
		build/bench/tests/bench/bench_limit.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) -o $@ $(filter %.c %.o,$^) \
		$(LIBS) \
		$(PKG_LIBS) -lsimdjson -lstdc++ -lm

# The 1,000,000-position book split between four workers on one real
# redis-server, the merged view against a single process (not in check).
bench-shards:
	@$(MAKE) --no-print-directory VARIANT=bench SAN= OPT="-O2 -DNDEBUG" \
		build/bench/liqtop
	@sh tests/bench/shards.sh build/bench

soak: liqtop
	@sh tests/soak/run

golden: $(TEST_BIN)
	@GOLDEN=1 sh tests/run $(filter $(BUILD)/tests/view/%,$(TEST_BIN))

FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	@out=$$(clang-format --dry-run $(FORMAT_SRC) 2>&1); \
	if [ -n "$$out" ]; then echo "$$out" | head -40; \
	echo "format-check: run 'make format'"; exit 1; fi; \
	echo "format-check: ok"

install: liqtop
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/liqtop/themes
	install -m 755 liqtop $(DESTDIR)$(PREFIX)/bin/liqtop
	install -m 644 liqtop.1 $(DESTDIR)$(PREFIX)/share/man/man1/liqtop.1
	install -m 644 themes/*.json $(DESTDIR)$(PREFIX)/share/liqtop/themes/

# libFuzzer targets (clang): every parser (feed line, decimal, portfolio
# JSON, JSON Lines, theme, config, command-line arguments) under ASan and
# UBSan, each run FUZZ_SECONDS on a copy of its committed corpus in
# build/fuzz/corpus. Debian's clang and libclang-rt-14-dev are installed
# when missing (as root). `make fuzz-merge` folds new inputs back into
# tests/fuzz/corpus.
FUZZ_SECONDS ?= 30
FUZZ_CC := clang
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
              -I. -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined $(PKG_CFLAGS)
FUZZ_LIB_SRC := $(CORE_SRC) $(FEEDS_SRC) $(TUI_SRC) $(APP_SRC)
FUZZ_OBJ := $(patsubst %.c,build/fuzz/obj/%.o,$(FUZZ_LIB_SRC))
FUZZ_BIN := $(addprefix build/fuzz/,$(FUZZ_TARGETS))

fuzz-deps:
	@if ! command -v $(FUZZ_CC) >/dev/null 2>&1 || \
	    ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing clang and libclang-rt-14-dev with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq clang libclang-rt-14-dev >/dev/null || exit 1; \
		else \
			echo "missing clang's libFuzzer; run:"; \
			echo "  sudo apt-get install -y clang libclang-rt-14-dev"; exit 1; \
		fi; \
	fi

build/fuzz/obj/%.o: %.c $(BUILD)/config.mk | fuzz-deps
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libliqtop.a: $(FUZZ_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

FUZZ_LINK = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
            build/fuzz/libliqtop.a $(PKG_LIBS) -lm
build/fuzz/line: tests/fuzz/fuzz_line.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK)
build/fuzz/decimal: tests/fuzz/fuzz_decimal.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK)
build/fuzz/portfolio: tests/fuzz/fuzz_portfolio.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK)
build/fuzz/args: tests/fuzz/fuzz_args.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK)
build/fuzz/jsonl: tests/fuzz/fuzz_file.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK) -DFUZZ_JSONL
build/fuzz/theme: tests/fuzz/fuzz_file.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK) -DFUZZ_THEME
build/fuzz/config: tests/fuzz/fuzz_file.c build/fuzz/libliqtop.a
	$(Q)$(FUZZ_LINK) -DFUZZ_CONFIG

fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
		rm -rf build/fuzz/corpus/$$t; mkdir -p build/fuzz/corpus/$$t; \
		cp tests/fuzz/corpus/$$t/* build/fuzz/corpus/$$t/ 2>/dev/null; \
		dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			-timeout=10 -rss_limit_mb=2048 $$dict \
			-artifact_prefix=build/fuzz/crash-$$t- \
			build/fuzz/corpus/$$t 2>build/fuzz/$$t.log || \
			{ tail -30 build/fuzz/$$t.log; exit 1; }; \
		tail -1 build/fuzz/$$t.log; \
	done

# The corpora as regression tests in make check: each harness with
# tests/fuzz/replay.c's main, built like the other tests (SAN applies).
FUZZ_REPLAY_LINK = @mkdir -p $(dir $@) && $(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) \
	$(CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBS) $(PKG_LIBS) -lm \
	$(LDFLAGS_SAN)
$(BUILD)/tests/fuzz/line: tests/fuzz/fuzz_line.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK)
$(BUILD)/tests/fuzz/decimal: tests/fuzz/fuzz_decimal.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK)
$(BUILD)/tests/fuzz/portfolio: tests/fuzz/fuzz_portfolio.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK)
$(BUILD)/tests/fuzz/args: tests/fuzz/fuzz_args.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK)
$(BUILD)/tests/fuzz/jsonl: tests/fuzz/fuzz_file.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK) -DFUZZ_JSONL
$(BUILD)/tests/fuzz/theme: tests/fuzz/fuzz_file.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK) -DFUZZ_THEME
$(BUILD)/tests/fuzz/config: tests/fuzz/fuzz_file.c tests/fuzz/replay.c $(LIBS)
	$(FUZZ_REPLAY_LINK) -DFUZZ_CONFIG

fuzz-merge: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p tests/fuzz/corpus/$$t; \
		build/fuzz/$$t -merge=1 -max_len=8192 tests/fuzz/corpus/$$t \
			build/fuzz/corpus/$$t 2>/dev/null | tail -1; \
	done

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile

clean:
	rm -rf build liqtop

$(BUILD)/config.mk: Makefile
	@mkdir -p $(dir $@)
	@missing=""; \
	for p in $(PKGS) $(TEST_PKGS); do pkg-config --exists $$p 2>/dev/null || missing=1; done; \
	for t in tmux redis-server clang-format bc; do \
		command -v $$t >/dev/null 2>&1 || missing=1; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing build and test dependencies with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $(APT_PKGS) >/dev/null || exit 1; \
		else \
			echo "missing dependencies; run:"; \
			echo "  sudo apt-get install -y $(APT_PKGS)"; exit 1; \
		fi; \
	fi
	@echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS) $(TEST_PKGS))" > $@.tmp
	@echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))" >> $@.tmp
	@echo "TEST_LIBS := $$(pkg-config --libs $(TEST_PKGS))" >> $@.tmp
	@mv $@.tmp $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Chain tests (tests/cli/chain.sh): a real node (anvil) and Morpho Blue's
# sources with the Solidity compiler, Aave v3 with its compiled artifacts,
# from npm at pinned versions, in a
# folder of their own; nodejs and npm from apt when missing.
NPM_RPC_DIR   := build/npm-rpc
NPM_RPC_PKGS  := @foundry-rs/anvil-linux-amd64@1.7.1 \
                 @morpho-org/morpho-blue@1.0.0 solc@0.8.19 @aave/core-v3@1.19.3
# Venus, a Compound v2 fork (tests/chain/compound.cjs): only its compiled
# artifacts are used, and some of the versions its package.json asks for
# are not on the registry, so it is fetched with npm pack and unpacked
# without its dependencies.
NPM_RPC_PACKED := @venusprotocol/venus-protocol@10.3.0
NPM_RPC_STAMP := $(NPM_RPC_DIR)/installed-3
.PHONY: npm-rpc fuzz-abi
npm-rpc: $(NPM_RPC_STAMP)
# libFuzzer on the ABI decoders (as `make fuzz` does for its targets).
fuzz-abi: $(BUILD)/config.mk
	@mkdir -p build/fuzz/corpus/abi
	clang $(FUZZ_FLAGS) -o build/fuzz/abi tests/fuzz/fuzz_abi.c \
		feeds/abi.c core/u256.c core/liq.c
	build/fuzz/abi -max_total_time=$(FUZZ_SECONDS) -max_len=1024 \
		build/fuzz/corpus/abi
# tests/xcheck/morpho_pre.sh: @morpho-org/blue-sdk and what it imports,
# pinned, into build/npm-xcheck, as the chain tests' packages (after
# them: their rule gets npm).
NPM_XCHECK_DIR   := build/npm-xcheck
NPM_XCHECK_PKGS  := @morpho-org/blue-sdk@6.4.0 @morpho-org/morpho-ts@2.8.0 \
                    viem@2.57.20
NPM_XCHECK_STAMP := $(NPM_XCHECK_DIR)/installed-1
$(NPM_XCHECK_STAMP): $(NPM_RPC_STAMP)
	@mkdir -p $(NPM_XCHECK_DIR)
	@echo '{"private": true}' > $(NPM_XCHECK_DIR)/package.json
	@echo "installing $(NPM_XCHECK_PKGS) into $(NPM_XCHECK_DIR)"
	$(Q)cd $(NPM_XCHECK_DIR) && npm install --no-audit --no-fund \
		--ignore-scripts --save-exact $(NPM_XCHECK_PKGS) >/dev/null
	@touch $@
check: $(NPM_RPC_STAMP) $(NPM_XCHECK_STAMP)
bench: $(NPM_RPC_STAMP)
$(NPM_RPC_STAMP):
	@command -v npm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing nodejs and npm with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq nodejs npm >/dev/null || exit 1; \
		else \
			echo "chain tests need npm; run:"; \
			echo "  sudo apt-get install -y nodejs npm"; exit 1; \
		fi; }
	@mkdir -p $(NPM_RPC_DIR)
	@echo '{"private": true}' > $(NPM_RPC_DIR)/package.json
	@echo "installing $(NPM_RPC_PKGS) into $(NPM_RPC_DIR)"
	$(Q)cd $(NPM_RPC_DIR) && npm install --no-audit --no-fund \
		--ignore-scripts --save-exact $(NPM_RPC_PKGS) >/dev/null
	@echo "unpacking $(NPM_RPC_PACKED) into $(NPM_RPC_DIR)"
	$(Q)cd $(NPM_RPC_DIR) && for p in $(NPM_RPC_PACKED); do \
		t=$$(npm pack --silent "$$p") && n=$${p%@*} && \
		rm -rf "node_modules/$$n" && mkdir -p "node_modules/$$n" && \
		tar xzf "$$t" -C "node_modules/$$n" --strip-components=1 && \
		rm -f "$$t" || exit 1; done
	@touch $@

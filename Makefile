# liqtop: the only build entry.
#
#   make            build ./liqtop (debug-friendly -O2 -g)
#   make run        build, then start the dashboard on the demo book
#   make check      unit, property, view, loop, cli and e2e tests + dep rules
#   make bench      optimized build, 1,000,000-position benchmark
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

PKGS     := libuv ncursesw libcjson hiredis
TEST_PKGS := check
APT_PKGS := build-essential pkg-config libuv1-dev libncurses-dev libcjson-dev \
            check libhiredis-dev tmux redis-server clang-format bc

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

# core/ is stricter: it holds the money.
$(BUILD)/core/%.o: CFLAGS_EXTRA := -Wconversion -Wsign-conversion

.PHONY: liqtop all run check unit-tests cli-tests e2e-tests check-deps bench soak \
        golden format format-check install clean fuzz help

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
check: check-deps liqtop $(TEST_BIN)
	@BUILD=$(BUILD) LIQTOP=./liqtop sh tests/run $(TEST_BIN)

# core/ purity and the one-way dependency rule of design.md section 1.
check-deps:
	@sh tests/check-deps

bench:
	@$(MAKE) --no-print-directory VARIANT=bench SAN= OPT="-O2 -DNDEBUG" \
		build/bench/liqtop build/bench/tests/bench/bench \
		build/bench/tests/bench/bench_stress
	@sh tests/bench/run build/bench

build/bench/tests/bench/bench_stress: tests/bench/bench_stress.c $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIBS) \
		$(PKG_LIBS) -lm

build/bench/tests/bench/bench: tests/bench/bench.c $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIBS) \
		$(PKG_LIBS) -lm

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

# libFuzzer targets (clang): each runs FUZZ_SECONDS on its corpus.
FUZZ_SECONDS ?= 30
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -I. $(PKG_CFLAGS)
fuzz: $(BUILD)/config.mk
	@mkdir -p build/fuzz
	clang $(FUZZ_FLAGS) -o build/fuzz/line tests/fuzz/fuzz_line.c \
		feeds/line.c core/decimal.c core/u256.c core/liq.c -lcjson
	clang $(FUZZ_FLAGS) -o build/fuzz/decimal tests/fuzz/fuzz_decimal.c \
		core/decimal.c core/u256.c core/liq.c
	cp -R tests/fuzz/corpus build/fuzz/
	build/fuzz/line -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		build/fuzz/corpus/line
	build/fuzz/decimal -max_total_time=$(FUZZ_SECONDS) -max_len=256 \
		-dict=tests/fuzz/decimal.dict \
		build/fuzz/corpus/decimal

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

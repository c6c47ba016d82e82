# OpenITA — the two commands: `make run` and `make test`. Both install their own Debian packages.
JOBS ?= $(shell nproc)
TEST_DIR := build/test
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 300
SOAK_KILLS ?= 50
REL_DIR := build/release
DB ?= var/demo.sqlite
PORT ?= 8080

.PHONY: deps build test run bench fuzz fuzz-build soak format clean package package-test

deps:
	bash scripts/install-deps.sh

$(REL_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(REL_DIR) -DCMAKE_BUILD_TYPE=Release -DITA_BUILD_TESTS=OFF \
	  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON

build: deps $(REL_DIR)/CMakeCache.txt
	cmake --build $(REL_DIR) -j $(JOBS) --target ita

$(TEST_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=Debug -DITA_SANITIZE=ON

test: $(TEST_DIR)/CMakeCache.txt
	ITA_TEST_TOOLS=1 bash scripts/install-deps.sh
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ITA_REQUIRE_POSTGRES=1 ITA_REQUIRE_BROWSER=1 ctest --output-on-failure -j $(JOBS)
	$(MAKE) fuzz-build
	bash fuzz/run.sh $(FUZZ_DIR) 20

# libFuzzer targets, built with clang in their own tree (fuzz/CMakeLists.txt).
$(FUZZ_DIR)/CMakeCache.txt: | deps
	ITA_TEST_TOOLS=1 bash scripts/install-deps.sh
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DITA_FUZZ=ON -DITA_BUILD_TESTS=OFF -DCMAKE_CXX_COMPILER=clang++

fuzz-build: $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_all

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# Long runs: the crash-durability test with many kill points (run directly: ctest's 300 s
# limit is for CI's 6), then the fuzzers for longer.
soak: $(TEST_DIR)/CMakeCache.txt
	cmake --build $(TEST_DIR) -j $(JOBS) --target ita ita_web_tests
	cd $(TEST_DIR) && ITA_REQUIRE_POSTGRES=1 ITA_SOAK_KILLS=$(SOAK_KILLS) tests/ita_web_tests --gtest_filter='*/Crash.*'
	$(MAKE) fuzz

# The Debian package (docs/deploy.md): build/release/openita_VERSION_ARCH.deb.
package: build
	cd $(REL_DIR) && cpack -G DEB

# Installs the package on this machine (as root; CI): HTTPS through nginx, upgrade, restore.
package-test: build
	bash scripts/test-package.sh $(REL_DIR) || [ $$? = 77 ]

run: build
	bash scripts/run-demo.sh $(REL_DIR)/ita $(DB) $(PORT)

bench: build
	bash bench/run.sh $(REL_DIR)

format:
	find src tests bench fuzz -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build

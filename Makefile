# Builds the Lambda functions for `sam build`: every function in template.yaml has
# `CodeUri: .` and `Metadata: {BuildMethod: makefile}`, so SAM runs the target
# build-<LogicalId> below and zips whatever it leaves in $(ARTIFACTS_DIR).
#
# Layout of an artifact: lib/ holds every runtime dependency jar of the function module plus
# the module's own jar. Lambda's Java runtime puts every jar in lib/ on the classpath, so
# nothing is shaded and no service files are merged.
#
# How SAM runs this file: it copies the CodeUri (here the whole repository, minus .git and
# .aws-sam) into a scratch directory and runs
#     make --makefile <repository>/Makefile build-<LogicalId>
# in that scratch directory, with ARTIFACTS_DIR set. The makefile path it passes is the one of
# the ORIGINAL tree, so everything below is relative to the current directory ($(CURDIR): the
# scratch copy), never to $(MAKEFILE_LIST); the build then neither writes into the developer's
# tree nor races with a build running there. Run by hand from the repository root, $(CURDIR)
# is the repository itself:
#     make build-WorkerFunction ARTIFACTS_DIR=/tmp/worker
#
# SAM has no .samignore: everything under CodeUri is copied for each function, including any
# target/ directories. Keep the tree lean (./mvnw clean) before `sam build`, or use
# `sam build --build-in-source`, which skips the copy and runs the targets in the repository
# itself (then do not add --parallel: the three Maven builds would race on shared/target).
# Stale copied jars cannot leak into an artifact: each target first deletes the module's
# target/lambda directory, which Maven refills on `package`.

SHELL := /bin/sh
.SHELLFLAGS := -ec

VERSION := 1.0.0-SNAPSHOT
# The Maven wrapper of the repository (run through sh, so a lost executable bit in a copy does
# not matter); plain `mvn` only where the wrapper has not been added.
MVN := $(if $(wildcard $(CURDIR)/mvnw),sh ./mvnw,mvn)

.PHONY: build-IngestFunction build-WorkerFunction build-ApiFunction build-NotifyFunction build-WebhookFunction

build-IngestFunction:
	$(call build_function,ingest)

build-WorkerFunction:
	$(call build_function,worker)

build-ApiFunction:
	$(call build_function,api)

# Both notification functions are one module (functions/notify): the stream reader and the webhook sender.
build-NotifyFunction:
	$(call build_function,notify)

build-WebhookFunction:
	$(call build_function,notify)

# $(1): the module name under functions/, e.g. ingest (artifact voicedrop-ingest).
define build_function
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run through 'sam build' or pass ARTIFACTS_DIR=<dir>" >&2; exit 1; }
	@test -f "$(CURDIR)/pom.xml" -a -d "$(CURDIR)/functions/$(1)" || { echo "run make from the repository root (no pom.xml / functions/$(1) in $(CURDIR))" >&2; exit 1; }
	rm -rf "$(CURDIR)/functions/$(1)/target/lambda"
	cd "$(CURDIR)" && $(MVN) -B -q -DskipTests -pl functions/$(1) -am package
	rm -rf "$(ARTIFACTS_DIR)/lib"
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	for f in "$(CURDIR)"/functions/$(1)/target/lambda/lib/*; do [ -e "$$f" ] || continue; cp "$$f" "$(ARTIFACTS_DIR)/lib/"; done
	cp "$(CURDIR)/functions/$(1)/target/voicedrop-$(1)-$(VERSION).jar" "$(ARTIFACTS_DIR)/lib/"
endef

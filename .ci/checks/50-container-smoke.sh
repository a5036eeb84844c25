#!/usr/bin/env bash
# Container smoke test (issue 8): builds the image (from local Debian-made bases: no registry here), runs it
# read-only, then 3 replicas behind HAProxy with 2,000 connections. Prints one CHECK PASS/FAIL line per check;
# leaves nothing running. See docker/smoke.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
exec bash docker/smoke.sh

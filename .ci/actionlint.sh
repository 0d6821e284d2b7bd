#!/bin/sh
exec go tool actionlint .github/workflows/*.yml

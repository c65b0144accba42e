"""Cross-cutting pieces every capability uses: config, clock, errors, languages, ids."""

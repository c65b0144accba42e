"""Everything that is deployed to Lambda. One package per capability."""

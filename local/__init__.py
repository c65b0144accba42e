"""The embedded local AWS stack, the demo and the `podium` CLI. Never deployed to Lambda."""

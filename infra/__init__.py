"""The AWS CDK app that deploys Podium (issue #8): the stack in stacks.py, the entry in app.py."""

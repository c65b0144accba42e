"""The single DynamoDB table: its schema, key builders and pynamodb models."""

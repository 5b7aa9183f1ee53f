from s3server import s3_endpoint, s3_settings  # noqa: F401 - the real S3 server fixtures

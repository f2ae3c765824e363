"""Process concerns, not the export's domain: the C allocator's tuning and the process-wide
thread pool that sending fans out on. Imports nothing else of the project."""

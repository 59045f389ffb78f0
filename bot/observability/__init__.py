"""What an operator sees of a running process: Prometheus metrics (``metrics``), the per-answer
timings (``trace``), readiness (``readiness``), the /healthz, /readyz and /metrics endpoints
(``endpoints``) and the one structured log line per answered question (``answer_log``)."""

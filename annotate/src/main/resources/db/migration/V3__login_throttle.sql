-- Login throttling (issue #14): failed log-ins per key ("account:<name>" or "address:<ip>") in the
-- current window, and until when the key is locked (epoch ms; 0 = not locked).
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL
);

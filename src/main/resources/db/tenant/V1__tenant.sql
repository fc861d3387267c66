-- Tenant schema: products, customers, orders with their lines, invoices.
-- Money is integer cents; times are ISO-8601 UTC text.

CREATE TABLE products (
  id               INTEGER PRIMARY KEY,
  sku              TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  units_in_stock   INTEGER NOT NULL CHECK (units_in_stock >= 0),
  discontinued     INTEGER NOT NULL DEFAULT 0 CHECK (discontinued IN (0, 1))
);

CREATE TABLE customers (
  id           TEXT PRIMARY KEY,
  company_name TEXT NOT NULL,
  contact_name TEXT,
  city         TEXT,
  country      TEXT
);

CREATE TABLE orders (
  id            INTEGER PRIMARY KEY,
  customer_id   TEXT NOT NULL REFERENCES customers (id),
  status        TEXT NOT NULL CHECK (status IN ('pending', 'shipped', 'cancelled')),
  ordered_at    TEXT NOT NULL,
  required_at   TEXT,
  shipped_at    TEXT,
  freight_cents INTEGER NOT NULL DEFAULT 0 CHECK (freight_cents >= 0),
  ship_name     TEXT,
  ship_city     TEXT,
  ship_country  TEXT,
  total_cents   INTEGER NOT NULL,
  -- 1 when creating the order took its lines' quantities from stock, so cancelling it
  -- gives them back; imported orders reserve nothing and are 0.
  stock_reserved INTEGER NOT NULL DEFAULT 0 CHECK (stock_reserved IN (0, 1))
);
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX orders_customer ON orders (customer_id);

CREATE TABLE order_lines (
  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_no          INTEGER NOT NULL,
  product_id       INTEGER NOT NULL REFERENCES products (id),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  discount_percent INTEGER NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_product ON order_lines (product_id);

CREATE TABLE invoices (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL UNIQUE REFERENCES orders (id),
  number       TEXT NOT NULL UNIQUE,
  amount_cents INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open', 'paid')),
  issued_at    TEXT NOT NULL,
  paid_at      TEXT
);

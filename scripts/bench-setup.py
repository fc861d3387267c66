#!/usr/bin/env python3
"""Provision the tenants of scripts/bench.sh on a running Silo and prepare the baselines.

Creates TENANTS tenants (bench-000, bench-001, ...) over the admin API, imports the
Northwind customers, products and orders into each with one POST /api/import, and
then writes into WORK:

  tokens.txt                  "<tenant id> <token>" a line, for the wrk scripts
  product-ids.txt             every product id, for W1 and B2
  order-product-ids.txt       ids of products that are not discontinued, for W2 and B3
  customer-ids.txt            every customer id, for W2 and B3
  baseline-tenants/<id>.db    a copy of each tenant file, for the baseline server

Every product is imported with UNITS_IN_STOCK units, so that orders never run short
of stock during a run. The copies are made with SQLite's online backup from Silo's
files while Silo is running, so baseline writes never touch Silo's files.

Usage: bench-setup.py --port PORT --admin-token-file FILE --tenants N
                      --northwind-json FILE --data-dir DIR --work DIR
"""

import argparse
import http.client
import json
import sqlite3
import sys
from pathlib import Path

# Silo's maximum for units_in_stock. A run creates at most a few hundred thousand
# orders of 1 to 5 units, spread over every tenant and product.
UNITS_IN_STOCK = 1_000_000_000


class Silo:
    """A keep-alive HTTP connection to Silo on the loopback interface."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method, path, body, token):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection.request(method, path, json.dumps(body), headers)
        response = self.connection.getresponse()
        payload = response.read()
        if response.status not in (200, 201):
            sys.exit(f"{method} {path} returned {response.status}: {payload[:300]!r}")
        return json.loads(payload)


def provision(silo, admin_token, tenants, document):
    """Create the tenants, import the document into each and return their tokens by id."""
    tokens = {}
    for i in range(tenants):
        tenant = f"bench-{i:03d}"
        silo.send("POST", "/admin/tenants", {"id": tenant, "name": f"Bench {i}", "plan": "standard"}, admin_token)
        token = silo.send("POST", f"/admin/tenants/{tenant}/tokens", {"name": "bench"}, admin_token)["token"]
        silo.send("POST", "/api/import", document, token)
        tokens[tenant] = token
    return tokens


def copy_tenant_files(tenant_ids, silo_tenants, baseline_tenants):
    """Copy each tenant's database with SQLite's backup API, which reads a consistent state."""
    baseline_tenants.mkdir(parents=True, exist_ok=True)
    for tenant in tenant_ids:
        source = sqlite3.connect(f"file:{silo_tenants / (tenant + '.db')}?mode=ro", uri=True)
        target = sqlite3.connect(baseline_tenants / (tenant + ".db"))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def write_lines(path, values):
    path.write_text("".join(f"{value}\n" for value in values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="Silo's HTTP port on 127.0.0.1")
    parser.add_argument("--admin-token-file", type=Path, required=True, help="file that contains the admin token")
    parser.add_argument("--tenants", type=int, required=True, help="number of tenants to create")
    parser.add_argument("--northwind-json", type=Path, required=True,
                        help="import document written by scripts/northwind-to-json.py")
    parser.add_argument("--data-dir", type=Path, required=True, help="Silo's data folder")
    parser.add_argument("--work", type=Path, required=True, help="folder for the files listed above")
    args = parser.parse_args()

    document = json.loads(args.northwind_json.read_text())
    for product in document["products"]:
        product["units_in_stock"] = UNITS_IN_STOCK
    admin_token = args.admin_token_file.read_text().strip()

    tokens = provision(Silo(args.port), admin_token, args.tenants, document)
    copy_tenant_files(tokens, args.data_dir / "tenants", args.work / "baseline-tenants")

    write_lines(args.work / "tokens.txt", (f"{tenant} {token}" for tenant, token in tokens.items()))
    products = document["products"]
    write_lines(args.work / "product-ids.txt", (p["id"] for p in products))
    write_lines(args.work / "order-product-ids.txt", (p["id"] for p in products if not p["discontinued"]))
    write_lines(args.work / "customer-ids.txt", (c["id"] for c in document["customers"]))
    print(f"{args.tenants} tenants, each with {len(document['customers'])} customers, {len(products)} products "
          f"and {len(document['orders'])} orders; baseline copies in {args.work / 'baseline-tenants'}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Convert the Northwind CSV export into the JSON document of Silo's POST /api/import.

Reads customers.csv, products.csv, orders.csv and order_details.csv from a folder and
writes {"customers": [...], "products": [...], "orders": [...]} to standard output or
to the file given with --output. Uses only the Python 3 standard library.

Conversions:
  - dollars ("18", "123.79") become integer cents, exactly (decimal arithmetic).
  - a Discount fraction ("0.15") becomes an integer percent (15).
  - "1996-07-04 00:00:00.000" becomes "1996-07-04T00:00:00Z", and an empty date null.
  - text is stripped of surrounding spaces, and empty optional text becomes null.
  - an order whose CustomerID is not in customers.csv gets a placeholder customer
    named "Unknown customer <id>", so the import keeps every order.
A value that cannot be converted exactly stops the script with the file, line and field.
"""

import argparse
import csv
import json
import sys
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

NORTHWIND_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


class ConversionError(Exception):
    """A CSV value that has no exact equivalent in the import document."""


def text(row, field, required=False):
    value = (row.get(field) or "").strip()
    if value:
        return value
    if required:
        raise ConversionError(f"field {field} is empty")
    return None


def whole_number(row, field):
    value = text(row, field, required=True)
    try:
        return int(value)
    except ValueError:
        raise ConversionError(f"field {field} must be a whole number, got {value!r}")


def cents(row, field):
    """Convert a dollar amount to integer cents. A fraction of a cent is an error."""
    value = text(row, field, required=True)
    try:
        amount = Decimal(value) * 100
    except InvalidOperation:
        raise ConversionError(f"field {field} must be an amount in dollars, got {value!r}")
    if amount != amount.to_integral_value():
        raise ConversionError(f"field {field} has a fraction of a cent: {value!r}")
    return int(amount)


def percent(row, field):
    """Convert a fraction (0.15) to an integer percent (15). A fraction of a percent is an error."""
    value = text(row, field, required=True)
    try:
        scaled = Decimal(value) * 100
    except InvalidOperation:
        raise ConversionError(f"field {field} must be a fraction such as 0.15, got {value!r}")
    if scaled != scaled.to_integral_value() or not 0 <= scaled <= 100:
        raise ConversionError(f"field {field} must be a whole percent from 0 to 100, got {value!r}")
    return int(scaled)


def timestamp(row, field, required=False):
    """Convert "1996-07-04 00:00:00.000" to ISO-8601 UTC to the second, or an empty value to None."""
    value = text(row, field, required=required)
    if value is None:
        return None
    try:
        parsed = datetime.strptime(value, NORTHWIND_TIME_FORMAT)
    except ValueError:
        raise ConversionError(f"field {field} must look like 1996-07-04 00:00:00.000, got {value!r}")
    if parsed.microsecond:
        raise ConversionError(f"field {field} has fractions of a second, which the import does not keep: {value!r}")
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def boolean_flag(row, field):
    value = text(row, field, required=True)
    if value not in ("0", "1"):
        raise ConversionError(f"field {field} must be 0 or 1, got {value!r}")
    return value == "1"


def convert_rows(folder, name, convert):
    """Apply convert to every row of a file, naming the file and line of a failure."""
    converted = []
    path = folder / name
    try:
        with path.open(newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            for row in reader:
                try:
                    converted.append(convert(row))
                except ConversionError as error:
                    raise ConversionError(f"{path}, line {reader.line_num}: {error}") from None
    except FileNotFoundError:
        raise ConversionError(f"{path} is missing. Set --northwind-dir to the folder of the Northwind CSV files")
    return converted


def customer(row):
    return {
        "id": text(row, "CustomerID", required=True),
        "company_name": text(row, "CompanyName", required=True),
        "contact_name": text(row, "ContactName"),
        "city": text(row, "City"),
        "country": text(row, "Country"),
    }


def product(row):
    product_id = whole_number(row, "ProductID")
    return {
        "id": product_id,
        "sku": f"NW-{product_id}",
        "name": text(row, "ProductName", required=True),
        "unit_price_cents": cents(row, "UnitPrice"),
        "units_in_stock": whole_number(row, "UnitsInStock"),
        "discontinued": boolean_flag(row, "Discontinued"),
    }


def order(row):
    return {
        "id": whole_number(row, "OrderID"),
        "customer_id": text(row, "CustomerID", required=True),
        "ordered_at": timestamp(row, "OrderDate", required=True),
        "required_at": timestamp(row, "RequiredDate"),
        "shipped_at": timestamp(row, "ShippedDate"),
        "freight_cents": cents(row, "Freight"),
        "ship_name": text(row, "ShipName"),
        "ship_city": text(row, "ShipCity"),
        "ship_country": text(row, "ShipCountry"),
        "lines": [],
    }


def order_line(row):
    return whole_number(row, "OrderID"), {
        "product_id": whole_number(row, "ProductID"),
        "unit_price_cents": cents(row, "UnitPrice"),
        "quantity": whole_number(row, "Quantity"),
        "discount_percent": percent(row, "Discount"),
    }


def placeholder_customer(customer_id):
    return {
        "id": customer_id,
        "company_name": f"Unknown customer {customer_id}",
        "contact_name": None,
        "city": None,
        "country": None,
    }


def build_document(folder):
    """Read the four CSV files and return the import document with a summary line."""
    customers = convert_rows(folder, "customers.csv", customer)
    products = convert_rows(folder, "products.csv", product)
    orders = convert_rows(folder, "orders.csv", order)

    orders_by_id = {o["id"]: o for o in orders}
    for order_id, line in convert_rows(folder, "order_details.csv", order_line):
        if order_id not in orders_by_id:
            raise ConversionError(f"order_details.csv has a line of order {order_id}, which orders.csv lacks")
        orders_by_id[order_id]["lines"].append(line)

    known = {c["id"] for c in customers}
    missing = sorted({o["customer_id"] for o in orders} - known)
    customers.extend(placeholder_customer(customer_id) for customer_id in missing)

    pending = sum(1 for o in orders if o["shipped_at"] is None)
    summary = (f"{len(customers)} customers ({len(missing)} placeholders), {len(products)} products, "
               f"{len(orders)} orders ({pending} pending), "
               f"{sum(len(o['lines']) for o in orders)} order lines")
    return {"customers": customers, "products": products, "orders": orders}, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--northwind-dir", type=Path, default=Path("../shared/data/northwind"),
                        help="folder of the Northwind CSV files (default: %(default)s)")
    parser.add_argument("--output", "-o", type=Path,
                        help="file to write the JSON document to (default: standard output)")
    args = parser.parse_args()

    try:
        document, summary = build_document(args.northwind_dir)
    except ConversionError as error:
        print(f"northwind-to-json: {error}", file=sys.stderr)
        return 1

    if args.output is None:
        json.dump(document, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        with args.output.open("w", encoding="utf-8") as file:
            json.dump(document, file, ensure_ascii=False)
    print(f"northwind-to-json: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

// drizzle-seed producer: --db postgresql://... --scale S -> the DATA-SPEC counts seeded by drizzle-seed.
// The tables already exist (bench/run.py loads ../shared/bench/schema.sql before every run); this file
// restates that schema in drizzle's pg-core so drizzle-seed can see the columns and foreign keys, then
// seeds it with seed(db, schema, {count}).refine(...): per-table counts, and the per-parent child counts
// DATA-SPEC names for drizzle ("exactly 50 users per account, 4 orders per user through `with:`").
// Where drizzle-seed cannot express a DATA-SPEC rule, the nearest thing it can is used and the gap is
// listed in bench/README.md ("drizzle-seed").
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import {
  bigint, boolean, integer, jsonb, pgTable, primaryKey, serial, bigserial, text, timestamp, unique,
} from "drizzle-orm/pg-core";
import { seed } from "drizzle-seed";
import pg from "pg";

const accounts = pgTable("accounts", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  name: text("name").notNull(),
  plan: text("plan").notNull(),
  // The FK to users (the cycle) is left out here: drizzle-seed 0.3.1 crashes on this cycle when
  // users has children of its own ("Cannot read properties of undefined (reading 'rows')" in
  // its second, cyclic pass). The column is filled in refine() from the users' id range instead.
  ownerUserId: bigint("owner_user_id", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

const users = pgTable("users", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  accountId: bigint("account_id", { mode: "number" }).notNull().references(() => accounts.id),
  email: text("email").notNull().unique(),
  fullName: text("full_name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  isActive: boolean("is_active").notNull().default(true),
});

const categories = pgTable(
  "categories",
  {
    id: serial("id").primaryKey(),
    parentId: integer("parent_id").references(() => categories.id),
    name: text("name").notNull(),
  },
  (t) => [unique().on(t.parentId, t.name)],
);

const products = pgTable("products", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  categoryId: integer("category_id").notNull().references(() => categories.id),
  sku: text("sku").notNull().unique(),
  title: text("title").notNull(),
  priceCents: integer("price_cents").notNull(),
  attributes: jsonb("attributes").notNull().default({}),
});

const orders = pgTable("orders", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  userId: bigint("user_id", { mode: "number" }).notNull().references(() => users.id),
  status: text("status").notNull(),
  placedAt: timestamp("placed_at", { withTimezone: true }).notNull(),
  totalCents: bigint("total_cents", { mode: "number" }).notNull(),
});

const orderItems = pgTable(
  "order_items",
  {
    orderId: bigint("order_id", { mode: "number" }).notNull().references(() => orders.id),
    lineNo: integer("line_no").notNull(),
    productId: bigint("product_id", { mode: "number" }).notNull().references(() => products.id),
    quantity: integer("quantity").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })],
);

const schema = { accounts, users, categories, products, orders, orderItems };

const weighted = (pairs) => pairs.map(([weight, value]) => ({ weight, values: [value] }));

function refine(f, n) {
  return {
    accounts: {
      count: n(1000),
      columns: {
        name: f.companyName(),
        plan: f.valuesFromArray({ values: weighted([[0.6, "free"], [0.3, "pro"], [0.1, "enterprise"]]) }),
        createdAt: f.timestamp(),
        // drizzle-seed numbers the users 1..N (intPrimaryKey), so this is an existing user
        // (a random one: DATA-SPEC's "a user of that account" is out of reach without the FK)
        ownerUserId: f.int({ minValue: 1, maxValue: n(1000) * 50 }),
      },
      with: { users: 50 },
    },
    users: {
      columns: {
        email: f.email(),
        fullName: f.fullName(),
        createdAt: f.timestamp(),
        isActive: f.valuesFromArray({ values: weighted([[0.9, true], [0.1, false]]) }),
      },
      with: { orders: 4 },
    },
    categories: {
      count: n(200),
      columns: { name: f.string({ isUnique: true }) },
    },
    products: {
      count: n(20000),
      columns: {
        sku: f.string({ isUnique: true }),
        title: f.loremIpsum({ sentencesCount: 1 }),
        priceCents: f.int({ minValue: 100, maxValue: 100000 }),
        attributes: f.json(),
      },
    },
    orders: {
      columns: {
        status: f.valuesFromArray({
          values: weighted([[0.7, "paid"], [0.15, "pending"], [0.1, "failed"], [0.05, "refunded"]]),
        }),
        placedAt: f.timestamp(),
        totalCents: f.int({ minValue: 0, maxValue: 2000000 }),
      },
      with: {
        orderItems: [
          { weight: 0.6, count: [1, 2, 3, 4] },
          { weight: 0.4, count: [5, 6, 7, 8] },
        ],
      },
    },
    orderItems: {
      columns: {
        // (order_id, line_no) is the primary key; drizzle-seed cannot number lines within an
        // order, so line_no is unique over the whole table (1..N), which keeps the key unique.
        lineNo: f.intPrimaryKey(),
        quantity: f.int({ minValue: 1, maxValue: 20 }),
        unitPriceCents: f.int({ minValue: 100, maxValue: 100000 }),
      },
    },
  };
}

async function main() {
  const { values } = parseArgs({ options: { db: { type: "string" }, scale: { type: "string" } } });
  const scale = Number(values.scale ?? "1");
  const n = (base) => Math.max(1, Math.round(base * scale));
  const pool = new pg.Pool({ connectionString: values.db, max: 1 });
  const db = drizzle(pool);
  const t0 = performance.now();
  // one transaction, as every producer here: the accounts -> users FK is DEFERRABLE INITIALLY
  // DEFERRED, checked at COMMIT once the users exist
  await db.transaction(async (tx) => {
    await seed(tx, schema, { seed: 20240607 }).refine((f) => refine(f, n));
  });
  const seconds = (performance.now() - t0) / 1000;
  await pool.end();
  process.stdout.write(JSON.stringify({ seed_s: Math.round(seconds * 1e4) / 1e4 }) + "\n");
}

main().catch((err) => {
  const text = String(err?.stack ?? err);
  process.stderr.write(`drizzle-seed producer failed: ${text.slice(0, 1500)}\n`);
  process.exit(1);
});

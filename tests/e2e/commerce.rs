//! Commerce over PostgREST with tokens from the api, in the seed's shop (tenant `tienda`): a
//! product received, sold (ticket with number and PDF), partly returned, a sale voided, each
//! report following each step; another tenant and another branch's cashier kept out; bad
//! input refused in PostgREST's shape with nothing written; 32 buyers racing for 10 units.
use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::demo::{self, shop};
use cimiento_e2e::http::{get, post, request, Resp};
use cimiento_e2e::Stack;
use serde_json::{json, Value};

fn rpc(stack: &Stack, name: &str) -> String {
    format!("{}/rpc/{name}", stack.postgrest_url())
}

/// A new product (SKU with a fresh tag) and the id of the CENTRO shop floor.
async fn new_product(stack: &Stack, token: &str, prefix: &str, price: f64) -> Result<(String, String, String)> {
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase();
    let sku = format!("{prefix}-{tag}");
    let created = request("POST", &format!("{}/products", stack.postgrest_url()), Some(token),
        Some(&json!({"sku": sku, "name": format!("Producto {tag}"), "sale_price": price, "tax_rate": 21, "cost": 1, "reorder_point": 5})),
        &[("prefer", "return=representation")]).await?.expect(201)?.json();
    let product = created[0]["id"].as_str().context("product id")?.to_string();
    let locations = get(&format!("{}/locations?code=eq.CEN-TIENDA", stack.postgrest_url()), Some(token), &[]).await?.expect(200)?.json();
    let location = locations[0]["id"].as_str().context("CEN-TIENDA")?.to_string();
    Ok((sku, product, location))
}

async fn one(stack: &Stack, token: &str, path: &str) -> Result<Value> {
    let rows = get(&format!("{}/{path}", stack.postgrest_url()), Some(token), &[]).await?.expect(200)?.json();
    Ok(rows.get(0).cloned().unwrap_or(Value::Null))
}

fn postgrest_shape(res: &Resp) -> bool {
    let body = res.json();
    ["code", "message", "details", "hint"].iter().all(|k| body.get(*k).is_some())
}

pub async fn a_shop_day_through_postgrest(stack: Arc<Stack>) -> Result<()> {
    let admin = demo::sign_in_to(&stack, shop::SLUG, shop::ADMIN_EMAIL).await?;
    let (sku, product, location) = new_product(&stack, &admin, "E2E", 4.00).await?;
    let stock = |stack: Arc<Stack>, token: String, product: String| async move {
        Ok::<f64, anyhow::Error>(one(&stack, &token, &format!("stock_levels?product_id=eq.{product}&location_code=eq.CEN-TIENDA")).await?
            ["quantity"].as_f64().unwrap_or(f64::NAN))
    };
    let units = |stack: Arc<Stack>, token: String, sku: String| async move {
        Ok::<f64, anyhow::Error>(one(&stack, &token, &format!("report_sales_by_product?sku=eq.{sku}")).await?["units"].as_f64().unwrap_or(0.0))
    };

    // Receive.
    post(&rpc(&stack, "receive_stock"), Some(&admin),
        &json!({"location_id": location, "lines": [{"product_id": product, "quantity": 10, "unit_cost": 2.5}], "reference": "ALB-E2E"}), &[])
        .await?.expect(200)?;
    ensure!(stock(stack.clone(), admin.clone(), product.clone()).await? == 10.0, "10 received");
    let valued = one(&stack, &admin, &format!("product_costs?product_id=eq.{product}")).await?;
    ensure!(valued["average_cost"].as_f64() == Some(2.5), "the average cost is the receipt's: {valued}");

    // Sell 3 for cash: a ticket with its number and its PDF.
    let sale = post(&rpc(&stack, "create_sale"), Some(&admin), &json!({"branch_id": shop::CENTRO,
        "lines": [{"product_id": product, "quantity": 3, "unit_price": 4.0}], "payments": [{"method": "cash", "amount": 20}]}), &[])
        .await?.expect(200)?.json();
    ensure!(sale["total"].as_f64() == Some(14.52) && sale["change_given"].as_f64() == Some(5.48), "3 × 4 + 21 % = 14.52, change 5.48: {sale}");
    let doc = &sale["document"];
    ensure!(doc["simplified"] == true && doc["number_display"].as_str().is_some_and(|n| n.starts_with("T001-")), "a numbered ticket: {doc}");
    let pdf = get(&format!("{}{}", stack.api_url(), doc["pdf"].as_str().context("pdf path")?), Some(&admin), &[]).await?.expect(200)?;
    ensure!(pdf.header("content-type") == Some("application/pdf"), "the ticket's PDF from the existing pipeline");
    ensure!(stock(stack.clone(), admin.clone(), product.clone()).await? == 7.0, "stock 7 after the sale");
    ensure!(units(stack.clone(), admin.clone(), sku.clone()).await? == 3.0, "the report counts 3 sold");

    // Return 1: a credit note, restocked, the report nets it.
    let sale_id = sale["id"].as_str().context("sale id")?.to_string();
    let returned = post(&rpc(&stack, "return_sale"), Some(&admin),
        &json!({"sale_id": sale_id, "lines": [{"line_no": 1, "quantity": 1}], "reason": "No funciona"}), &[]).await?.expect(200)?.json();
    ensure!(returned["credit_note"]["number_display"].as_str().is_some_and(|n| n.starts_with("R101-")), "a credit note: {returned}");
    ensure!(stock(stack.clone(), admin.clone(), product.clone()).await? == 8.0, "stock 8 after the return");
    ensure!(units(stack.clone(), admin.clone(), sku.clone()).await? == 2.0, "the report nets the return");
    let beyond = post(&rpc(&stack, "return_sale"), Some(&admin),
        &json!({"sale_id": sale_id, "lines": [{"line_no": 1, "quantity": 3}], "reason": "x"}), &[]).await?;
    ensure!(beyond.status == 409 && postgrest_shape(&beyond), "returning more than is left: 409 in PostgREST's shape: {} {}", beyond.status, beyond.text);

    // Sell 2 more and void that sale: restocked, credited, not counted.
    let second = post(&rpc(&stack, "create_sale"), Some(&admin), &json!({"branch_id": shop::CENTRO,
        "lines": [{"product_id": product, "quantity": 2}], "payments": [{"method": "card", "amount": 9.68}]}), &[])
        .await?.expect(200)?.json();
    ensure!(units(stack.clone(), admin.clone(), sku.clone()).await? == 4.0, "4 sold before the void");
    let voided = post(&rpc(&stack, "void_sale"), Some(&admin), &json!({"sale_id": second["id"], "reason": "Error de caja"}), &[])
        .await?.expect(200)?.json();
    ensure!(voided["status"] == "voided", "voided: {voided}");
    ensure!(stock(stack.clone(), admin.clone(), product.clone()).await? == 8.0, "the void restocks");
    ensure!(units(stack.clone(), admin.clone(), sku.clone()).await? == 2.0, "a voided sale does not count");
    let day = one(&stack, &admin, &format!("rpc/report_product_ledger?product_id={product}&order=balance.desc&limit=1")).await?;
    ensure!(day["balance"].as_f64() == Some(10.0), "the ledger's running balance peaked at the receipt: {day}");
    let low = get(&format!("{}/report_low_stock?sku=eq.{sku}", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(low.as_array().is_some_and(|a| a.is_empty()), "8 on hand is above the reorder point 5: {low}");

    // Another tenant sees none of it.
    let academy = demo::admin_token(&stack).await?;
    for path in [format!("products?sku=eq.{sku}"), format!("sales?id=eq.{sale_id}"), format!("report_sales_by_product?sku=eq.{sku}")] {
        let seen = get(&format!("{}/{path}", stack.postgrest_url()), Some(&academy), &[]).await?.expect(200)?.json();
        ensure!(seen == json!([]), "the academy tenant sees nothing of /{path}: {seen}");
    }

    // A cashier of Tienda Norte cannot sell in Centro.
    let cashier = demo::sign_in_to(&stack, shop::SLUG, shop::CASHIER_NORTE_EMAIL).await?;
    let elsewhere = post(&rpc(&stack, "create_sale"), Some(&cashier), &json!({"branch_id": shop::CENTRO,
        "lines": [{"product_id": product, "quantity": 1}], "payments": [{"method": "cash", "amount": 10}]}), &[]).await?;
    ensure!(elsewhere.status == 403 && postgrest_shape(&elsewhere), "another branch: 403: {} {}", elsewhere.status, elsewhere.text);

    // Bad input: 4xx in PostgREST's shape, nothing written.
    let before = get(&format!("{}/sales?select=id", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    let cases = [
        (json!([{"product_id": uuid::Uuid::new_v4(), "quantity": 1}]), 404, "an unknown product"),
        (json!([{"product_id": product, "quantity": 0}]), 400, "a zero quantity"),
        (json!([{"product_id": product, "quantity": -1}]), 400, "a negative quantity"),
        (json!([{"product_id": product, "quantity": 1, "unit_price": 3.99}]), 409, "a price that does not match"),
        (json!([{"product_id": product, "quantity": 9}]), 409, "more than in stock"),
        (json!("nope"), 400, "lines that are not an array"),
    ];
    for (lines, status, what) in cases {
        let res = post(&rpc(&stack, "create_sale"), Some(&admin),
            &json!({"branch_id": shop::CENTRO, "lines": lines, "payments": [{"method": "cash", "amount": 100}]}), &[]).await?;
        ensure!(res.status == status && postgrest_shape(&res), "{what}: {status} expected, got {} {}", res.status, res.text);
        ensure!(!res.text.contains("tenant_id"), "{what}: no internals echoed: {}", res.text);
    }
    let after = get(&format!("{}/sales?select=id", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(before == after, "refused sales wrote nothing");
    ensure!(stock(stack.clone(), admin.clone(), product.clone()).await? == 8.0, "…and moved no stock");
    Ok(())
}

pub async fn thirty_two_buyers_for_the_last_ten_units(stack: Arc<Stack>) -> Result<()> {
    let admin = demo::sign_in_to(&stack, shop::SLUG, shop::ADMIN_EMAIL).await?;
    let (_sku, product, location) = new_product(&stack, &admin, "RACE", 1.00).await?;
    post(&rpc(&stack, "receive_stock"), Some(&admin),
        &json!({"location_id": location, "lines": [{"product_id": product, "quantity": 10, "unit_cost": 0.5}]}), &[]).await?.expect(200)?;

    let mut buyers = Vec::new();
    for _ in 0..32 {
        let (stack, admin, product) = (stack.clone(), admin.clone(), product.clone());
        buyers.push(tokio::spawn(async move {
            post(&rpc(&stack, "create_sale"), Some(&admin), &json!({"branch_id": shop::CENTRO,
                "lines": [{"product_id": product, "quantity": 1}], "payments": [{"method": "card", "amount": 1.21}]}), &[]).await
        }));
    }
    let (mut sold, mut refused) = (0, 0);
    for buyer in buyers {
        let res = buyer.await??;
        match res.status {
            200 => sold += 1,
            409 => {
                refused += 1;
                ensure!(res.json()["message"].as_str().is_some_and(|m| m.contains("0 available, 1 requested")),
                    "a refused buyer is told what is available: {}", res.text);
            }
            other => anyhow::bail!("a buyer got {other}: {}", res.text),
        }
    }
    ensure!(sold == 10 && refused == 22, "exactly 10 sold and 22 refused, got {sold} and {refused}");

    let db = stack.owner().await?;
    let level: f64 = db.query_one("SELECT quantity::float8 FROM commerce.stock_levels WHERE product_id = $1::text::uuid", &[&product])
        .await?.get(0);
    ensure!(level == 0.0, "the level is 0, got {level}");
    let drift: i64 = db.query_one(
        "SELECT count(*) FROM commerce.stock_levels s
          WHERE s.quantity <> (SELECT coalesce(sum(m.quantity), 0) FROM commerce.inventory_movements m
                                WHERE m.tenant_id = s.tenant_id AND m.product_id = s.product_id AND m.location_id = s.location_id)",
        &[]).await?.get(0);
    ensure!(drift == 0, "every stock level equals the sum of its ledger ({drift} differ)");
    let gaps: i64 = db.query_one(
        "SELECT count(*) FROM (SELECT series_id, max(number) - count(*) AS holes FROM billing.invoices
                                WHERE tenant_id = $1::text::uuid AND number IS NOT NULL GROUP BY series_id) x WHERE holes <> 0",
        &[&shop::TENANT]).await?.get(0);
    ensure!(gaps == 0, "every series of the shop is gapless ({gaps} with holes)");
    Ok(())
}

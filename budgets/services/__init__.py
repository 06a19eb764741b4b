"""Writes to money: budgets and their lines (`budgets`), change orders (`change_orders`),
costs (`costs`) and the studio's budget per period (`studio`)."""

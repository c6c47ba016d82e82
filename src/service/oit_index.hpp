#pragma once
// An agency's public OIT index (core/oit_index.hpp) and its "ita-oit-index/1" JSON
// (docs/oit-index.md, docs/schemas/ita-oit-index-1.schema.json): for the public page
// /p/{agency}/oit/{year} and `ita oit index`. Public by design: it holds only what the agency
// publishes (item names, evidence URLs, the day of the last readiness check), never a review.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/oit_index.hpp"
#include "service/edition_catalog.hpp"
#include "store/store.hpp"

namespace ita::service {

// The index of round `round_id` made on `today`: every OIT item of the round's edition in order,
// with its evidence URLs (none for an item without evidence) and, when the round's newest
// finished readiness check (Store::oit_checks) checked the item, that check's day in Thailand.
// Throws NotFound for an unknown round, store errors (an edition that is not loaded: NotFound).
// Leaves the store unchanged.
OitIndex oit_index_of_round(store::Store& store, EditionCatalog& editions, std::int64_t round_id,
                            std::chrono::year_month_day today);

// The index of agency `agency_id` for fiscal year `fiscal_year` (Buddhist Era): its round on an
// edition of that year (practice rounds aside; of several, the newest), as oit_index_of_round.
// Throws NotFound (Thai) for an unknown agency or when it has no such round. Leaves the store
// unchanged.
OitIndex oit_index(store::Store& store, EditionCatalog& editions, std::int64_t agency_id,
                   int fiscal_year, std::chrono::year_month_day today);

// `index` as "ita-oit-index/1" JSON text (pretty-printed): format, agency {id, name, website},
// fiscal_year, edition, generated_at ("YYYY-MM-DD"), items [{code, name_th, indicator, urls,
// checked_on ("YYYY-MM-DD" or null)}]. Pure.
std::string oit_index_json(const OitIndex& index);

}  // namespace ita::service

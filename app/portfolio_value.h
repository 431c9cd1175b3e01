/*
 * portfolio_value.h: reading one member's value of a portfolio document
 * (portfolio_value.c), for the readers of markets and positions.
 *
 * Nothing is allocated: strings returned point into the cJSON tree or into
 * the caller's buffer, and live as long as those.
 */
#ifndef PORTFOLIO_VALUE_H
#define PORTFOLIO_VALUE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/portfolio_read.h"

/* Room for a number's decimal text (portfolio_value_text's buf). */
#define PORTFOLIO_NUMTEXT_MAX 96

/* s[0..len) quoted and made terminal-safe into buf, for a message; buf. */
const char *portfolio_value_quoted(char *buf, size_t cap, const char *s,
                                   size_t len);
/* The same, unquoted. */
const char *portfolio_value_safe(char *buf, size_t cap, const char *s,
                                 size_t len);
/* The decimal text of a string or number value into *text and *len (a
 * number's written into buf); false for any other kind of value. */
bool portfolio_value_text(const cJSON *it, char *buf, size_t cap,
                          const char **text, size_t *len);
/* Whether a key is left for the reader ("_comment"). */
bool portfolio_value_reserved(const char *key);
/* 0, or a failure on the first key of obj not in known (NULL-terminated)
 * or given twice; path prefixes the key in the message. */
int portfolio_value_keys(struct portfolio_reader *r, const cJSON *obj,
                         const char *path, const char *const *known);
/* A string member key of obj, at most maxlen bytes, valid UTF-8 without
 * controls; *out NULL when absent (a failure when required). */
int portfolio_value_string(struct portfolio_reader *r, const cJSON *obj,
                           const char *key, const char *path, bool required,
                           size_t maxlen, const char **out);
/* The same for the member it (NULL when absent) named key. */
int portfolio_value_string_item(struct portfolio_reader *r, const cJSON *it,
                                const char *key, const char *path,
                                bool required, size_t maxlen, const char **out);
/* A whole number member in [lo, hi], a JSON number or a string; *out
 * untouched when absent and not required. */
int portfolio_value_uint(struct portfolio_reader *r, const cJSON *obj,
                         const char *key, const char *path, unsigned lo,
                         unsigned hi, bool required, unsigned *out);
/* A ratio member written as a fraction ("0.825"), exactly in bps (unit_bps)
 * or WAD; *out untouched when absent and not required. */
int portfolio_value_ratio(struct portfolio_reader *r, const cJSON *obj,
                          const char *key, const char *path, bool unit_bps,
                          bool required, uint64_t *out);

#endif

#ifndef LYCEUM_PHONE_H
#define LYCEUM_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcomes of lyceum_phone_to_e164.
enum {
    LYCEUM_PHONE_OK = 0,
    /// Not a phone number at all (no digits, letters, garbage).
    LYCEUM_PHONE_NOT_A_NUMBER = 1,
    /// A local spelling, and the default region is not a region libphonenumber knows.
    LYCEUM_PHONE_INVALID_REGION = 2,
    /// Too short or too long for any number.
    LYCEUM_PHONE_WRONG_LENGTH = 3,
    /// Parsed, but not a valid number of its country (wrong length or unassigned range).
    LYCEUM_PHONE_INVALID = 4,
    /// `out` cannot hold the E.164 text and its NUL.
    LYCEUM_PHONE_BUFFER_TOO_SMALL = 5,
    /// NULL arguments or an input longer than 64 bytes.
    LYCEUM_PHONE_BAD_ARGUMENT = 6,
};

/// Parses `input` (international "+…" or a local spelling of `default_region`, an ISO 3166-1
/// alpha-2 code) with Google's libphonenumber, checks it is a valid number, and writes its E.164
/// form ("+77011234567") NUL-terminated into `out`. Returns one of the LYCEUM_PHONE_* codes.
/// Thread-safe.
int lyceum_phone_to_e164(const char *input, const char *default_region, char *out, size_t out_len);

/// 1 when libphonenumber knows `region` (e.g. "KZ"), 0 otherwise.
int lyceum_phone_region_supported(const char *region);

#ifdef __cplusplus
}
#endif

#endif

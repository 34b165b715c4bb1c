// A C interface over Google's libphonenumber, so Swift never sees C++ or protobuf types.
#include "lyceum_phone.h"

#include <cstring>
#include <set>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" int lyceum_phone_to_e164(const char *input, const char *default_region, char *out, size_t out_len) {
    if (input == nullptr || default_region == nullptr || out == nullptr) return LYCEUM_PHONE_BAD_ARGUMENT;
    if (std::strlen(input) > 64 || std::strlen(default_region) > 8) return LYCEUM_PHONE_BAD_ARGUMENT;
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    switch (util->Parse(std::string(input), std::string(default_region), &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR: break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return LYCEUM_PHONE_INVALID_REGION;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
    case PhoneNumberUtil::TOO_LONG_NSN: return LYCEUM_PHONE_WRONG_LENGTH;
    default: return LYCEUM_PHONE_NOT_A_NUMBER;
    }
    if (!util->IsValidNumber(number)) return LYCEUM_PHONE_INVALID;
    std::string formatted;
    util->Format(number, PhoneNumberUtil::E164, &formatted);
    if (formatted.size() + 1 > out_len) return LYCEUM_PHONE_BUFFER_TOO_SMALL;
    std::memcpy(out, formatted.c_str(), formatted.size() + 1);
    return LYCEUM_PHONE_OK;
}

extern "C" int lyceum_phone_region_supported(const char *region) {
    if (region == nullptr) return 0;
    // Built once (thread-safe static initialisation): a capture with a region asks on every request.
    static const std::set<std::string> regions = [] {
        std::set<std::string> all;
        PhoneNumberUtil::GetInstance()->GetSupportedRegions(&all);
        return all;
    }();
    return regions.count(std::string(region)) ? 1 : 0;
}

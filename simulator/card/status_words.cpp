#include "status_words.hpp"

namespace mynasim::card {

std::string_view status_meaning(StatusWord word) {
    if ((word & 0xFFF0) == 0x63C0) {
        static constexpr std::string_view left[] = {
            "verification failed, 0 tries left", "verification failed, 1 try left",
            "verification failed, 2 tries left", "verification failed, 3 tries left",
            "verification failed, 4 tries left", "verification failed, 5 tries left",
            "verification failed, 6 tries left", "verification failed, 7 tries left",
            "verification failed, 8 tries left", "verification failed, 9 tries left",
            "verification failed, 10 tries left", "verification failed, 11 tries left",
            "verification failed, 12 tries left", "verification failed, 13 tries left",
            "verification failed, 14 tries left", "verification failed, 15 tries left"};
        return left[word & 0x0F];
    }
    switch (word) {
    case sw::ok: return "OK";
    case sw::end_of_file_before_le: return "end of file reached before Le bytes";
    case sw::verification_failed: return "verification failed";
    case sw::wrong_length: return "wrong length";
    case sw::incompatible_file_structure: return "command incompatible with file structure";
    case sw::security_status_not_satisfied: return "security status not satisfied";
    case sw::authentication_method_blocked: return "authentication method blocked";
    case sw::conditions_not_satisfied: return "conditions of use not satisfied";
    case sw::no_current_ef: return "command not allowed: no current EF";
    case sw::wrong_data: return "incorrect data field";
    case sw::file_not_found: return "file or application not found";
    case sw::wrong_p1_p2: return "incorrect P1/P2";
    case sw::referenced_data_not_found: return "referenced data not found";
    case sw::offset_outside_ef: return "offset outside the EF";
    case sw::ins_not_supported: return "INS not supported";
    case sw::cla_not_supported: return "CLA not supported";
    case sw::no_precise_diagnosis: return "no precise diagnosis";
    default: return "unknown status";
    }
}

}  // namespace mynasim::card

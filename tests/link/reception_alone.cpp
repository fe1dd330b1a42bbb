// The reference reception linked alone: mynasim_reception and what its interface brings, nothing else.
// That it links at all shows the reception needs no server code; link_line_check.cmake shows that no
// server library and no SQLite is on its link line.
// Usage: mynasim_reception_alone FOLDER INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE (one card-path request).
#include <iostream>

#include "client/reception.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " FOLDER INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE\n";
        return 2;
    }
    try {
        mynasim::client::ReceptionSettings settings;
        settings.folder = argv[1];
        mynasim::client::Reception reception(settings);
        const auto outcome = reception.confirm_by_card(mynasim::client::parse_card_fields(argv[2]));
        for (const auto& line : outcome.lines) std::cout << line << "\n";
        return outcome.exit_code;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}

#pragma once
// 券面 AP: the card face image, readable after the MODELED 特定機関認証:
//   GET CHALLENGE               00 84 00 00 08                -> 8 random bytes
//   PSO: VERIFY CERTIFICATE     00 2A 00 BE Lc <cert DER>     -> 90 00 when issued by the 特定機関 CA
//   EXTERNAL AUTHENTICATE       00 82 00 00 Lc <signature>    -> 90 00 when the certificate's key signed
//                                                                SHA-256(challenge) (ECDSA, DER signature)
// Success unlocks READ BINARY of EF 0002 (face image) for this card session.
#include "card/card_definition.hpp"

namespace mynasim::card {

Bytes kenmen_aid();
ApplicationDefinition make_kenmen_application(Bytes face_image);

}  // namespace mynasim::card

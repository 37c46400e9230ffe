#pragma once
// Every numeric reply this codec sends, by the name the modern IRC client
// protocol document (modern.ircdocs.horse) and RFC 2812 give it:
// RPL_WELCOME is kRplWelcome, ERR_NEEDMOREPARAMS is kErrNeedMoreParams.
// A reply that is not in those documents says where its number comes from.
//
// Grouped by number. Adding a reply: add its name here first, then send it
// with IrcSession::numeric(kName, ...), never with a bare "NNN".
#include <string_view>

namespace parley::irc {

// --- connection registration (001-005) ---------------------------------------
inline constexpr std::string_view kRplWelcome = "001";
inline constexpr std::string_view kRplYourHost = "002";
inline constexpr std::string_view kRplCreated = "003";
inline constexpr std::string_view kRplMyInfo = "004";
inline constexpr std::string_view kRplIsupport = "005";

// --- replies to commands (2xx, 3xx) --------------------------------------------
inline constexpr std::string_view kRplUmodeIs = "221";
inline constexpr std::string_view kRplLuserClient = "251";
inline constexpr std::string_view kRplLuserOp = "252";
inline constexpr std::string_view kRplLuserUnknown = "253";
inline constexpr std::string_view kRplLuserChannels = "254";
inline constexpr std::string_view kRplLuserMe = "255";
inline constexpr std::string_view kRplAdminMe = "256";
inline constexpr std::string_view kRplAdminLoc1 = "257";
inline constexpr std::string_view kRplAdminLoc2 = "258";
inline constexpr std::string_view kRplAdminEmail = "259";
inline constexpr std::string_view kRplLocalUsers = "265";
inline constexpr std::string_view kRplGlobalUsers = "266";
inline constexpr std::string_view kRplAway = "301";
inline constexpr std::string_view kRplUserhost = "302";
inline constexpr std::string_view kRplIson = "303";
inline constexpr std::string_view kRplUnaway = "305";
inline constexpr std::string_view kRplNowAway = "306";
inline constexpr std::string_view kRplWhoisUser = "311";
inline constexpr std::string_view kRplWhoisServer = "312";
inline constexpr std::string_view kRplWhoisOperator = "313";
inline constexpr std::string_view kRplWhowasUser = "314";
inline constexpr std::string_view kRplEndOfWho = "315";
inline constexpr std::string_view kRplEndOfWhois = "318";
inline constexpr std::string_view kRplWhoisIdle = "317";
inline constexpr std::string_view kRplWhoisChannels = "319";
inline constexpr std::string_view kRplWhoisAccount = "330";  // ircu's; the modern document lists it
inline constexpr std::string_view kRplListStart = "321";
inline constexpr std::string_view kRplList = "322";
inline constexpr std::string_view kRplListEnd = "323";
inline constexpr std::string_view kRplChannelModeIs = "324";
inline constexpr std::string_view kRplCreationTime = "329";
inline constexpr std::string_view kRplNoTopic = "331";
inline constexpr std::string_view kRplTopic = "332";
inline constexpr std::string_view kRplTopicWhoTime = "333";
inline constexpr std::string_view kRplWhoisBot = "335";
// "is connecting from *@HOST ADDRESS": the real address behind a cloak, for server operators.
inline constexpr std::string_view kRplWhoisHost = "378";
inline constexpr std::string_view kRplInviting = "341";
inline constexpr std::string_view kRplInviteList = "346";
inline constexpr std::string_view kRplEndOfInviteList = "347";
inline constexpr std::string_view kRplExceptList = "348";
inline constexpr std::string_view kRplEndOfExceptList = "349";
inline constexpr std::string_view kRplVersion = "351";
inline constexpr std::string_view kRplStatsKLine = "216";
inline constexpr std::string_view kRplEndOfStats = "219";
inline constexpr std::string_view kRplLinks = "364";
inline constexpr std::string_view kRplEndOfLinks = "365";
inline constexpr std::string_view kRplWhoReply = "352";
inline constexpr std::string_view kRplNamReply = "353";
inline constexpr std::string_view kRplWhoSpcRpl = "354";  // WHOX (ircv3.net/specs/extensions/whox)
inline constexpr std::string_view kRplEndOfNames = "366";
inline constexpr std::string_view kRplBanList = "367";
inline constexpr std::string_view kRplEndOfBanList = "368";
inline constexpr std::string_view kRplEndOfWhowas = "369";
inline constexpr std::string_view kRplInfo = "371";
inline constexpr std::string_view kRplMotd = "372";
inline constexpr std::string_view kRplEndOfInfo = "374";
inline constexpr std::string_view kRplMotdStart = "375";
inline constexpr std::string_view kRplEndOfMotd = "376";
inline constexpr std::string_view kRplYoureOper = "381";
inline constexpr std::string_view kRplTime = "391";

// --- errors (4xx, 5xx, 6xx) ------------------------------------------------------
inline constexpr std::string_view kErrUnknownError = "400";
inline constexpr std::string_view kErrNoSuchNick = "401";
inline constexpr std::string_view kErrNoSuchServer = "402";
inline constexpr std::string_view kErrNoSuchChannel = "403";
inline constexpr std::string_view kErrCannotSendToChan = "404";
inline constexpr std::string_view kErrTooManyChannels = "405";
inline constexpr std::string_view kErrWasNoSuchNick = "406";
inline constexpr std::string_view kErrTooManyTargets = "407";
inline constexpr std::string_view kErrInvalidCapCmd = "410";
inline constexpr std::string_view kErrNoRecipient = "411";
inline constexpr std::string_view kErrNoTextToSend = "412";
inline constexpr std::string_view kErrInputTooLong = "417";
inline constexpr std::string_view kErrUnknownCommand = "421";
inline constexpr std::string_view kErrNoMotd = "422";
inline constexpr std::string_view kErrNoNicknameGiven = "431";
inline constexpr std::string_view kErrErroneusNickname = "432";  // sic: the documents spell it ERRONEUS
inline constexpr std::string_view kErrNicknameInUse = "433";
inline constexpr std::string_view kErrUserNotInChannel = "441";
inline constexpr std::string_view kErrNotOnChannel = "442";
inline constexpr std::string_view kErrUserOnChannel = "443";
inline constexpr std::string_view kErrNotRegistered = "451";
inline constexpr std::string_view kErrNeedMoreParams = "461";
inline constexpr std::string_view kErrAlreadyRegistered = "462";
inline constexpr std::string_view kErrPasswdMismatch = "464";
inline constexpr std::string_view kErrYoureBannedCreep = "465";
inline constexpr std::string_view kErrChannelIsFull = "471";
inline constexpr std::string_view kErrUnknownMode = "472";
inline constexpr std::string_view kErrInviteOnlyChan = "473";
inline constexpr std::string_view kErrBannedFromChan = "474";
inline constexpr std::string_view kErrBadChannelKey = "475";
inline constexpr std::string_view kErrBanListFull = "478";
// Not in RFC 2812 nor the modern document; the number hybrid, ircu and their
// descendants give a channel name they will not create.
inline constexpr std::string_view kErrBadChanName = "479";
inline constexpr std::string_view kErrNoPrivileges = "481";
inline constexpr std::string_view kErrChanOPrivsNeeded = "482";
inline constexpr std::string_view kErrNoOperHost = "491";
inline constexpr std::string_view kErrUmodeUnknownFlag = "501";
inline constexpr std::string_view kErrHelpNotFound = "524";
inline constexpr std::string_view kErrUsersDontMatch = "502";
inline constexpr std::string_view kErrInvalidModeParam = "696";
inline constexpr std::string_view kRplHelpStart = "704";
inline constexpr std::string_view kRplHelpTxt = "705";
inline constexpr std::string_view kRplEndOfHelp = "706";

// --- MONITOR (ircv3.net/specs/extensions/monitor) --------------------------------
inline constexpr std::string_view kRplMonOnline = "730";
inline constexpr std::string_view kRplMonOffline = "731";
inline constexpr std::string_view kRplMonList = "732";
inline constexpr std::string_view kRplEndOfMonList = "733";
inline constexpr std::string_view kErrMonListFull = "734";

// --- SASL (ircv3.net/specs/extensions/sasl-3.2; the modern document) ----------------
inline constexpr std::string_view kRplLoggedIn = "900";
inline constexpr std::string_view kRplLoggedOut = "901";
inline constexpr std::string_view kErrNickLocked = "902";
inline constexpr std::string_view kRplSaslSuccess = "903";
inline constexpr std::string_view kErrSaslFail = "904";
inline constexpr std::string_view kErrSaslTooLong = "905";
inline constexpr std::string_view kErrSaslAborted = "906";
inline constexpr std::string_view kErrSaslAlready = "907";
inline constexpr std::string_view kRplSaslMechs = "908";

}  // namespace parley::irc

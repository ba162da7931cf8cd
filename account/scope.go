package account

import "strings"

// granted returns the scopes roles grant through Config.RoleScopes: their
// union, in the order of the roles and of each role's list, each once.
func (s *Service) granted(roles []string) []string {
	var out []string
	for _, r := range roles {
		for _, sc := range s.cfg.RoleScopes[r] {
			if !contains(out, sc) {
				out = append(out, sc)
			}
		}
	}
	return out
}

// chooseScope returns the scope of a login: everything granted when nothing
// is requested, else the requested scopes (space-separated, RFC 6749 section
// 3.3), each of which must be granted. Asking for more is ErrScope.
func chooseScope(requested string, granted []string) (string, error) {
	if strings.TrimSpace(requested) == "" {
		return strings.Join(granted, " "), nil
	}
	var out []string
	for _, sc := range strings.Fields(requested) {
		if !contains(granted, sc) {
			return "", ErrScope
		}
		if !contains(out, sc) {
			out = append(out, sc)
		}
	}
	return strings.Join(out, " "), nil
}

// narrow keeps the scopes of a session that the user's roles still grant: a
// refresh never widens a session's scope, and a role taken away takes its
// scopes with it at the next refresh.
func narrow(scope string, granted []string) string {
	var out []string
	for _, sc := range strings.Fields(scope) {
		if contains(granted, sc) {
			out = append(out, sc)
		}
	}
	return strings.Join(out, " ")
}

// hasScope reports whether the space-separated scope contains sc.
func hasScope(scope, sc string) bool {
	return contains(strings.Fields(scope), sc)
}
